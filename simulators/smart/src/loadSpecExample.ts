import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutputType, SourceFile } from './publicationFile.js';

/** The specification's example publication: its manifest's time and its files, unchanged. */
export interface SpecExample {
  /** The example manifest's `transactionTime`, e.g. `2021-04-22T14:28:21.582Z`. */
  readonly transactionTime: string;
  readonly files: readonly SourceFile[];
}

const manifestSchema = z.object({
  transactionTime: z.string(),
  output: z.array(
    z.object({
      type: z.enum(['Location', 'Schedule', 'Slot']),
      url: z.url(),
      extension: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

/**
 * Reads `examples/$bulk-publish` and the NDJSON files it lists from the standards folder. The
 * manifest's URLs point at the public internet; only the last path segment of each is kept (by
 * URL parsing), so the publisher can serve the file under its own base URL. File contents are
 * kept line by line, exactly as published.
 */
export function loadSpecExample(standardsDirectory: string): SpecExample {
  const examples = join(standardsDirectory, 'examples');
  const manifest = manifestSchema.parse(
    JSON.parse(readFileSync(join(examples, '$bulk-publish'), 'utf8')),
  );
  const files = manifest.output.map((entry): SourceFile => {
    const segments = new URL(entry.url).pathname.split('/');
    const name = decodeURIComponent(segments[segments.length - 1] ?? '');
    if (name === '' || name.includes('/') || name.startsWith('.')) {
      throw new Error(`example manifest entry ${entry.url} does not name a file`);
    }
    const text = readFileSync(join(examples, name), 'utf8');
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    return {
      name,
      type: entry.type as OutputType,
      ...(entry.extension && { extension: entry.extension }),
      lines,
    };
  });
  return { transactionTime: manifest.transactionTime, files };
}
