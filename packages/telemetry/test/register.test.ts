import { trace } from '@opentelemetry/api';
import { expect, it } from 'vitest';

it('registers nothing when no exporter is configured', async () => {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('OTEL_')) delete process.env[name];
  }
  await import('../src/register.js');
  const span = trace.getTracer('test').startSpan('work');
  expect(span.isRecording()).toBe(false);
  expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
});
