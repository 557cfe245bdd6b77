import type { z } from 'zod';
import { type ResourceType, resourceSchemas } from './schemas.js';

/** Where a line went wrong: its number and the rule it broke, never its content. */
export interface NdjsonProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

/** An NDJSON file's resources of one type, and what was skipped. */
export interface ParsedNdjson<T> {
  readonly resources: T[];
  /** Lines that are not a JSON object. */
  malformedLines: number;
  /** JSON objects of another `resourceType` than the file's manifest entry says. */
  wrongTypeLines: number;
  /** Resources of the right type failing their schema (missing id, time without offset…). */
  invalidLines: number;
  /** The first few problems, for the log. Lines may hold anything, so only positions and rules. */
  readonly problems: NdjsonProblem[];
}

/** How many problems one file reports in detail; the counts cover them all. */
const maxProblems = 10;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses one NDJSON file of `type` resources. Real publications are not clean: a line that is
 * not JSON, is of another type, or fails its schema is skipped and counted, and the rest of the
 * file is kept. Blank lines, CRLF line ends and a byte-order mark are accepted silently.
 */
export function parseNdjson<T extends ResourceType>(
  text: string,
  type: T,
): ParsedNdjson<z.output<(typeof resourceSchemas)[T]>> {
  const schema = resourceSchemas[type];
  const result: ParsedNdjson<z.output<(typeof resourceSchemas)[T]>> = {
    resources: [],
    malformedLines: 0,
    wrongTypeLines: 0,
    invalidLines: 0,
    problems: [],
  };
  const problem = (line: number, reason: string) => {
    if (result.problems.length < maxProblems) result.problems.push({ line, reason });
  };
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      json = undefined;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      result.malformedLines += 1;
      problem(index + 1, 'not a JSON object');
      continue;
    }
    const resourceType = (json as { resourceType?: unknown }).resourceType;
    if (resourceType !== type) {
      result.wrongTypeLines += 1;
      problem(index + 1, `resourceType is not ${type}`);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      result.invalidLines += 1;
      problem(index + 1, describeIssues(parsed.error));
      continue;
    }
    result.resources.push(parsed.data as z.output<(typeof resourceSchemas)[T]>);
  }
  return result;
}
