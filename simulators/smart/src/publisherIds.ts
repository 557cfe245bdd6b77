/**
 * The two publishers, each under its own base path: `example` serves the specification's own
 * example data, `sverige` a generated Swedish data set.
 */
export const publisherIds = ['example', 'sverige'] as const;
export type PublisherId = (typeof publisherIds)[number];
