/** The port after the highest of `ports`, skipping every port in `taken`. */
export function nextPort(ports: readonly number[], taken: ReadonlySet<number>): number {
  let port = Math.max(...ports) + 1;
  while (taken.has(port)) port += 1;
  return port;
}
