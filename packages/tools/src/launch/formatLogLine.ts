const levelColours: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[90m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
};
const reset = '\x1b[0m';
const omitted = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/**
 * Makes one line of a service's output readable for people: a JSON log line (pino) becomes
 * `HH:MM:SS LEVEL message key=value …`; anything else is passed through.
 */
export function formatLogLine(line: string, colour: boolean): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = String(entry.level ?? 'info');
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !omitted.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const label = level.toUpperCase().padEnd(5);
  const shown = colour ? `${levelColours[level] ?? ''}${label}${reset}` : label;
  return `${time} ${shown} ${String(entry.msg ?? '')}${fields ? ` ${fields}` : ''}`;
}
