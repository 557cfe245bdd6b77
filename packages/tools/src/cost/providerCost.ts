import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { providers } from '../registry.js';

/** What a hand-written file of a provider subgraph is for. */
export type Role = 'client' | 'mapping' | 'adapter' | 'configuration' | 'protocol';
export const roles: readonly Role[] = ['client', 'mapping', 'adapter', 'configuration', 'protocol'];

/** One provider's hand-written code lines by role: what onboarding it cost. */
export interface ProviderCost {
  system: string;
  lines: Record<Role, number>;
  total: number;
}

/**
 * The role of a file under a provider's `src/`, by the layout every provider shares: `client/`
 * speaks the vendor's dialect, `mapping.ts` translates it, `create*Adapter.ts`/`create*Scope.ts`
 * answer the contract, and the definition and entry point (with the files they replaced) are
 * configuration. Everything else is protocol support the system needs (caches, codecs, indexes).
 */
export function roleOf(path: string): Role {
  const name = basename(path);
  if (path.split('/').includes('client')) return 'client';
  if (name === 'mapping.ts') return 'mapping';
  if (/^create\w+(Adapter|Scope)\.ts$/.test(name)) return 'adapter';
  if (/^(provider|index|environment|server|create\w+Connections)\.ts$/.test(name)) {
    return 'configuration';
  }
  return 'protocol';
}

/** Lines that are code: not blank, not only a comment. */
export function codeLines(text: string): number {
  let count = 0;
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) inBlock = true;
      continue;
    }
    count += 1;
  }
  return count;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '__generated__') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The cost of one provider subgraph folder: its `src/`, less generated code. */
export function providerCost(system: string, dir: string): ProviderCost {
  const lines = Object.fromEntries(roles.map((role) => [role, 0])) as Record<Role, number>;
  const src = join(dir, 'src');
  for (const file of sourceFiles(src)) {
    lines[roleOf(relative(src, file).split('\\').join('/'))] += codeLines(
      readFileSync(file, 'utf8'),
    );
  }
  return { system, lines, total: roles.reduce((sum, role) => sum + lines[role], 0) };
}

/** Every registered provider's cost. */
export function registeredProviderCosts(repoRoot: string): ProviderCost[] {
  return providers.map((p) =>
    providerCost(p.subgraph.name.replace(/^provider-/, ''), join(repoRoot, p.subgraph.dir)),
  );
}

/** The costs as a Markdown table, as the README shows them. */
export function costTable(costs: readonly ProviderCost[]): string {
  const header = `| system | ${roles.join(' | ')} | total |`;
  const rule = `| --- | ${roles.map(() => '---:').join(' | ')} | ---: |`;
  const rows = costs.map(
    (cost) =>
      `| \`${cost.system}\` | ${roles.map((role) => cost.lines[role]).join(' | ')} | ${cost.total} |`,
  );
  return [header, rule, ...rows].join('\n');
}

const start = '<!-- provider-cost:start (npm run provider:cost -- --write) -->';
const end = '<!-- provider-cost:end -->';

/** The README with its provider-cost block replaced by `table`. */
export function withCostTable(readme: string, table: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error('the README has no provider-cost block');
  return `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`;
}
