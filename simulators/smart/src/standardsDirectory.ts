import { fileURLToPath } from 'node:url';

/**
 * Where the SMART Scheduling Links standards folder lives by default: `shared/` beside the
 * repository checkout (`<checkout>/../shared/standards/smart-scheduling-links`). The path is
 * resolved from this file, which sits at the same depth in `src/` and `dist/`, so it holds for a
 * checkout anywhere (CI clones elsewhere with a copy of `shared/` beside it).
 */
export function defaultStandardsDirectory(): string {
  return fileURLToPath(
    new URL('../../../../shared/standards/smart-scheduling-links/', import.meta.url),
  );
}
