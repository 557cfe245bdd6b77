/**
 * `url` when it is a web address (http or https), else undefined: a booking system's link goes
 * into an `href`, where a `javascript:` or `data:` URL would run in the page.
 */
export function webLink(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
