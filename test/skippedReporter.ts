import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a suite does not run here and how to make it run: printed at the end of the run. */
    skipReason?: string;
  }
}

/** The reason a skipped test gives: its own note, else that of the nearest suite that has one. */
function reasonOf(test: TestCase): string | undefined {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  let parent: TestSuite | TestModule = test.parent;
  for (;;) {
    const reason = parent.meta().skipReason;
    if (reason) return reason;
    if (parent.type === 'module') return undefined;
    parent = parent.parent;
  }
}

/**
 * Ends every run with what it did not run, and why, so a green run that skipped something says
 * so in its last lines; then one plain closing line with the counts.
 */
export default class SkippedReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    /** Per file, the reasons its skipped tests give (a set: one line per reason). */
    const skippedByFile = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const module of modules) {
      // A file that fails before its tests run (an import error, a failing hook) reports its
      // tests as skipped: it is a failure, counted as one.
      if (module.errors().length > 0 || module.state() === 'failed') {
        const ran = [...module.children.allTests()].some((t) => t.result().state !== 'skipped');
        if (!ran) {
          broken.push(module.relativeModuleId);
          counts.failed += 1;
          continue;
        }
      }
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else if (state === 'skipped') {
          counts.skipped += 1;
          const reasons = skippedByFile.get(module.relativeModuleId) ?? new Set<string>();
          reasons.add(reasonOf(test) ?? 'skipped in its file');
          skippedByFile.set(module.relativeModuleId, reasons);
        }
      }
    }
    const lines = [''];
    for (const file of broken) lines.push(`FAILED BEFORE ITS TESTS RAN: ${file}`);
    if (skippedByFile.size === 0) lines.push('Every collected test ran: none skipped.');
    for (const [file, reasons] of skippedByFile) {
      lines.push(`NOT RUN in ${file}:`, ...[...reasons].map((reason) => `  ${reason}`));
    }
    lines.push(
      `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
