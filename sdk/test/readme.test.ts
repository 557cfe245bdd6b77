import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('./readmeApolloExample.ts', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

/**
 * What the README's backend samples leave to the reader (a token source, a slot, a window, a
 * webhook request and its endpoint's secret), declared so that everything else in them is checked.
 */
const placeholders = `
declare const tokens: { current(): string };
declare const slotId: string;
declare const from: string;
declare const to: string;
declare const rawBody: string;
declare const request: { headers: Record<string, string> };
declare const keptSecret: string;
`;

/** The type errors of `source` as a module in sdk/test/, compiled as the repository compiles. */
function typeErrors(source: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('the repository tsconfig.json cannot be read');
  const path = fileURLToPath(new URL('./readmeBackendSamples.ts', import.meta.url));
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === path
      ? ts.createSourceFile(name, source, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === path || fileExists.call(host, name);
  host.readFile = (name) => (name === path ? source : readFile.call(host, name));
  const program = ts.createProgram([path], { ...config.options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(path))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the README', () => {
  it('shows the Apollo example exactly as the file the system test runs', () => {
    expect(blocks).toContain(example);
  });

  it('has backend samples that compile against the SDK', () => {
    const backend = blocks.filter((block) => block !== example);
    expect(backend.length).toBeGreaterThan(0);
    expect(typeErrors(`${placeholders}\n${backend.join('\n')}`)).toEqual([]);
  });
});
