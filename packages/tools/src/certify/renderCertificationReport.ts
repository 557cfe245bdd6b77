/** One check of a certification run, as the report lists it. */
export interface CheckOutcome {
  /** `describe › check`, without the suite's top level. */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** Why it was skipped, or the first line of why it failed. */
  note: string;
  /** A failure's message in full. */
  details?: string;
}

/** What the report says about the run, besides its checks. */
export interface CertificationSummary {
  system: string;
  connectionId: string;
  connectionName: string;
  sandbox: boolean;
  startedAt: Date;
  checks: readonly CheckOutcome[];
  /** Errors outside any check (the suite could not load, a hook failed). */
  errors: readonly string[];
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Whether the run certifies the connection: nothing failed, nothing broke, something was checked. */
export function certified(summary: CertificationSummary): boolean {
  return (
    summary.errors.length === 0 &&
    summary.checks.every((check) => check.state !== 'failed') &&
    summary.checks.some((check) => check.state === 'passed')
  );
}

/**
 * The Markdown report an onboarding engineer hands to the vendor: what was checked against
 * which connection, what passed, what was skipped and why, and each failure in full.
 */
export function renderCertificationReport(summary: CertificationSummary): string {
  const count = (state: CheckOutcome['state']) =>
    summary.checks.filter((check) => check.state === state).length;
  const verdict = certified(summary) ? '**PASSED**' : '**FAILED**';
  const lines = [
    `# Provider certification: ${summary.system}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Connection | \`${cell(summary.connectionId)}\` (${cell(summary.connectionName)}) |`,
    `| Mode | ${summary.sandbox ? 'sandbox: the read-only checks and the booking checks' : 'read-only: the booking checks run with `--sandbox` only'} |`,
    `| Run at | ${summary.startedAt.toISOString()} |`,
    `| Result | ${verdict}: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped |`,
    '',
    '## Checks',
    '',
    '| Check | Result | Time | Note |',
    '| --- | --- | --- | --- |',
    ...summary.checks.map(
      (check) =>
        `| ${cell(check.name)} | ${check.state === 'failed' ? '**failed**' : check.state} | ${check.state === 'skipped' ? '' : `${Math.round(check.durationMs)} ms`} | ${cell(check.note)} |`,
    ),
  ];
  const failures = summary.checks.filter((check) => check.state === 'failed');
  if (failures.length > 0 || summary.errors.length > 0) {
    lines.push('', '## Failures');
    for (const check of failures) {
      lines.push('', `### ${check.name}`, '', '```text', check.details ?? check.note, '```');
    }
    for (const error of summary.errors)
      lines.push('', '### Outside any check', '', '```text', error, '```');
  }
  lines.push(
    '',
    'Checked by the platform’s provider contract kit through the provider’s own adapter. Skipped',
    'checks do not apply to this connection (a capability it does not have) or to this mode.',
    '',
  );
  return lines.join('\n');
}
