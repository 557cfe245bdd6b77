import { fileURLToPath } from 'node:url';

/**
 * Where the SMART Scheduling Links example publication is by default: the repository's own copy,
 * `<repo>/standards/smart-scheduling-links`. The path is resolved from this file, which sits at
 * the same depth in `src/` and `dist/`, so it holds in a checkout anywhere and in the images
 * (which copy `standards/` to the same place).
 */
export function defaultStandardsDirectory(): string {
  return fileURLToPath(new URL('../../../standards/smart-scheduling-links/', import.meta.url));
}
