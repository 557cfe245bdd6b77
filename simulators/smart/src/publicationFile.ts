/** The resource types a SMART Scheduling Links manifest lists that this simulator publishes. */
export type OutputType = 'Location' | 'Schedule' | 'Slot';

/** One NDJSON file of a publication before the publisher's own changes are applied. */
export interface SourceFile {
  /** File name, the last segment of its URL, e.g. `slots-2026-W43.ndjson`. */
  readonly name: string;
  readonly type: OutputType;
  /** The manifest entry's `extension`, e.g. `{ state: ['AB'] }`. */
  readonly extension?: Readonly<Record<string, unknown>>;
  /** The file's lines, each one minified JSON resource, kept byte for byte. */
  readonly lines: readonly string[];
}
