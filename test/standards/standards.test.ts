import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const standards = join(repoRoot, 'standards');
/** The folder's own files, which describe the copies rather than being one. */
const ownFiles = new Set(['README.md', 'SHA256SUMS']);

function filesUnder(dir: string, skip: (name: string) => boolean = () => false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skip(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, skip) : [path];
  });
}

function listedDigests(): Map<string, string> {
  const lines = readFileSync(join(standards, 'SHA256SUMS'), 'utf8').trim().split('\n');
  return new Map(
    lines.map((line) => {
      const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!match) throw new Error(`SHA256SUMS: malformed line ${JSON.stringify(line)}`);
      return [match[2]!, match[1]!];
    }),
  );
}

describe('standards/', () => {
  it('holds exactly the files SHA256SUMS lists, each unedited', () => {
    const listed = listedDigests();
    const present = filesUnder(standards)
      .map((path) => relative(standards, path).split('\\').join('/'))
      .filter((path) => !ownFiles.has(path))
      .sort();
    expect(present).toEqual([...listed.keys()].sort());
    const changed = present.filter((path) => {
      const digest = createHash('sha256').update(readFileSync(join(standards, path)));
      return digest.digest('hex') !== listed.get(path);
    });
    expect(changed).toEqual([]);
  });

  it('is what the repository reads: nothing refers to a folder beside the checkout', () => {
    // Written in two parts so that this file does not find itself.
    const needles = [['shared', 'standards'].join('/'), ['SHARED', 'REPOSITORY'].join('_')];
    const skipped = new Set(['node_modules', '.git', 'dist', '.turbo', 'coverage', '.data']);
    const offenders = filesUnder(repoRoot, (name) => skipped.has(name))
      .filter((path) => !path.endsWith('package-lock.json') && !path.startsWith(standards))
      .filter((path) => {
        const text = readFileSync(path, 'latin1');
        return needles.some((needle) => text.includes(needle));
      })
      .map((path) => relative(repoRoot, path));
    expect(offenders).toEqual([]);
  });
});
