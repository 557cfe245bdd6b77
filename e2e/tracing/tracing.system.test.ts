import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signDevelopmentToken } from '@booking/gateway';
import { allServices, providers, type RunningSystem, startSystem } from '@booking/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** One span as OTLP/JSON carries it, with the `service.name` of the process that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  startTimeUnixNano: string;
  attributes: Record<string, unknown>;
  /** The spans of other traces it links to, and what each link is. */
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
}

/** One exemplar of a histogram point: the sampled span a measurement was recorded in. */
interface ReceivedExemplar {
  service: string;
  metric: string;
  traceId: string;
  spanId: string;
  value: number;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/**
 * A small OTLP/HTTP receiver (JSON encoding): what the collector would be in a deployment. It
 * keeps every span, the names of the metrics received, the histograms' exemplars, and every
 * request body as text.
 */
async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const metricNames = new Set<string>();
  const exemplars: ReceivedExemplar[] = [];
  const bodies: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    bodies.push(text);
    const body = JSON.parse(text);
    for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
      const service = String(attributesOf(resource.attributes)['service.name']);
      for (const scope of scopeSpans) {
        for (const span of scope.spans ?? []) {
          spans.push({
            ...span,
            service,
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map(
              (link: { traceId: string; spanId: string; attributes?: OtlpAttribute[] }) => ({
                traceId: link.traceId,
                spanId: link.spanId,
                attributes: attributesOf(link.attributes),
              }),
            ),
          });
        }
      }
    }
    for (const { resource, scopeMetrics = [] } of body.resourceMetrics ?? []) {
      const service = String(attributesOf(resource.attributes)['service.name']);
      for (const scope of scopeMetrics) {
        for (const metric of scope.metrics ?? []) {
          metricNames.add(metric.name);
          for (const point of metric.histogram?.dataPoints ?? []) {
            for (const exemplar of point.exemplars ?? []) {
              exemplars.push({
                service,
                metric: metric.name,
                traceId: exemplar.traceId,
                spanId: exemplar.spanId,
                value: exemplar.asDouble,
              });
            }
          }
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    metricNames,
    exemplars,
    bodies,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Waits until `check` passes (spans arrive in batches, from ten processes). */
async function eventually<T>(check: () => T, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The trace as an indented tree, children by start time: `service  span name`. */
function treeOf(trace: ReceivedSpan[]): string {
  const children = (parent: string | undefined) =>
    trace
      .filter((span) => (span.parentSpanId || undefined) === parent)
      .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name}  [${span.service}]`);
    for (const child of children(span.spanId)) walk(child, depth + 1);
  };
  for (const root of children(undefined)) walk(root, 0);
  return lines.join('\n');
}

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Selma',
  familyName: 'Lagerlöf',
  email: 'selma.lagerlof@example.se',
  phone: '+46701234567',
};
/** What no span, attribute or metric may contain. */
const patientData = [
  '199001010017',
  '19900101-0017',
  'Selma',
  'Lagerl',
  'selma.lagerlof',
  '701234567',
];

describe('tracing across every service, exported over OTLP/HTTP', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let system: RunningSystem;
  let token: string;
  const logs: string[] = [];
  /** The `traceresponse` of the last answer: the trace that served it. */
  let answeredBy: string | null = null;

  async function graphql(query: string, variables: object) {
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    answeredBy = response.headers.get('traceresponse');
    // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
    return (await response.json()) as { data?: any; errors?: unknown[] };
  }

  /** The spans of the trace whose gateway request ran the operation `operationName`. */
  function traceOf(operationName: string): ReceivedSpan[] {
    const request = receiver.spans.find(
      (span) =>
        span.name === 'gateway.request' &&
        span.attributes['graphql.operation.name'] === operationName,
    );
    expect(request, `no gateway.request span of ${operationName}`).toBeDefined();
    return receiver.spans.filter((span) => span.traceId === request!.traceId);
  }

  /** One trace: a single root (the gateway's HTTP server span), every other span's parent in it. */
  function expectOneConnectedTrace(trace: ReceivedSpan[]) {
    const ids = new Set(trace.map((span) => span.spanId));
    const roots = trace.filter((span) => !span.parentSpanId);
    expect(roots.map((span) => `${span.service} ${span.name}`)).toEqual(['gateway POST /graphql']);
    const orphans = trace.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId));
    expect(orphans.map((span) => `${span.service} ${span.name}`)).toEqual([]);
  }

  /** The provider system's own HTTP call: provider-cliniq's undici client span and the simulator's server span under it. */
  function expectSimulatorCall(trace: ReceivedSpan[]) {
    const clientCalls = trace.filter(
      (span) => span.service === 'provider-cliniq' && span.kind === 3,
    );
    expect(clientCalls.length).toBeGreaterThan(0);
    const served = trace.filter(
      (span) =>
        span.service === 'simulator-cliniq' &&
        span.kind === 2 &&
        clientCalls.some((call) => call.spanId === span.parentSpanId),
    );
    expect(served.length).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const telemetry = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    };
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: (line) => logs.push(line),
      // This file is about traces, not deadlines: a cold first search must still answer OK.
      providerDeadlineMs: 8000,
      env: {
        ...Object.fromEntries(allServices.map((service) => [service.name, telemetry])),
        scheduling: { ...telemetry, LOG_LEVEL: 'debug', LEDGER_DATA_DIR: 'memory://' },
      },
    });
    token = await signDevelopmentToken({
      clientId: 'tracing-test',
      scopes: ['availability:read', 'reservations:read', 'reservations:write'],
    });
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  let nordklinikSlot: string;
  /** Another of Nordklinik's slots, for the hold. */
  let heldSlot: string;

  it('follows an availability query from the gateway through scheduling and provider-cliniq to the simulator in one trace', async () => {
    const from = new Date(Date.now() + 5 * 24 * 3600_000);
    const { data, errors } = await graphql(
      `query TracedAvailability($filter: AvailabilityFilter!) {
        availability(filter: $filter, first: 100) { edges { node { id provider { name } } } }
      }`,
      {
        filter: {
          from: from.toISOString(),
          to: new Date(from.getTime() + 2 * 24 * 3600_000).toISOString(),
        },
      },
    );
    expect(errors).toBeUndefined();
    const servedBy = answeredBy;
    [nordklinikSlot, heldSlot] = data.availability.edges
      .filter(
        (edge: { node: { provider: { name: string } } }) =>
          edge.node.provider.name === 'Nordklinik',
      )
      .map((edge: { node: { id: string } }) => edge.node.id);
    expect(heldSlot).toBeDefined();

    const trace = await eventually(() => {
      const trace = traceOf('TracedAvailability');
      // Every provider subgraph is asked (SMART's simulator is polled on a schedule, not per search).
      expect([...new Set(trace.map((span) => span.service))]).toEqual(
        expect.arrayContaining([
          'gateway',
          'scheduling',
          ...providers.map((provider) => provider.subgraph.name),
          'simulator-cliniq',
        ]),
      );
      expectOneConnectedTrace(trace);
      expectSimulatorCall(trace);
      return trace;
    });
    // The answer named its trace: the gateway's server span, so a caller can quote it.
    const root = trace.find((span) => !span.parentSpanId)!;
    expect(servedBy).toBe(`00-${root.traceId}-${root.spanId}-01`);
    const names = (service: string) =>
      trace.filter((span) => span.service === service).map((span) => span.name);
    // The gateway's own spans, and no GraphQL instrumentation there.
    expect(names('gateway')).toEqual(
      expect.arrayContaining([
        'gateway.request',
        'gateway.plan',
        'gateway.execute',
        'gateway.fetch',
      ]),
    );
    expect(names('gateway').filter((name) => name.startsWith('graphql.'))).toEqual([]);
    expect(names('scheduling')).toEqual(
      expect.arrayContaining(['POST /graphql', 'graphql.parse', 'graphql.resolve availability']),
    );
    const search = trace.find(
      (span) =>
        span.name === 'slots.load' && span.attributes['booking.connection'] === 'cliniq-nordklinik',
    );
    expect(search?.attributes).toMatchObject({
      'booking.cache.result': 'miss',
      'booking.outcome': 'OK',
    });
    const call = trace.find(
      (span) => span.name === 'provider.call' && span.parentSpanId === search?.spanId,
    );
    expect(call?.attributes).toMatchObject({
      'booking.connection': 'cliniq-nordklinik',
      'booking.provider.operation': 'ContractSlots',
      'booking.call.kind': 'read',
      'booking.call.attempts': 1,
      'booking.outcome': 'OK',
    });
    expect(
      trace.find(
        (span) =>
          span.name === 'provider.connection' &&
          span.attributes['booking.connection'] === 'cliniq-nordklinik',
      )?.attributes,
    ).toMatchObject({ 'booking.provider.system': 'cliniq', 'booking.outcome': 'OK' });
  });

  it('follows a reservation down to the booking call at the simulator, with no patient data in any span', async () => {
    const { data, errors } = await graphql(
      `mutation TracedReservation($input: ReserveSlotInput!) {
        reserveSlot(input: $input) { __typename ... on ReservationResult { reservation { status } } }
      }`,
      { input: { slotId: nordklinikSlot, patient, idempotencyKey: 'traced-reservation' } },
    );
    expect(errors).toBeUndefined();
    expect(data.reserveSlot.reservation.status).toBe('CONFIRMED');

    const trace = await eventually(() => {
      const trace = traceOf('TracedReservation');
      expect(new Set(trace.map((span) => span.service))).toEqual(
        new Set(['gateway', 'scheduling', 'provider-cliniq', 'simulator-cliniq']),
      );
      expectOneConnectedTrace(trace);
      expectSimulatorCall(trace);
      expect(trace.find((span) => span.name === 'reservation.reserve')).toBeDefined();
      return trace;
    });
    if (process.env.PRINT_TRACE) process.stdout.write(`\n${treeOf(trace)}\n`);

    expect(trace.find((span) => span.name === 'reservation.reserve')?.attributes).toMatchObject({
      'booking.connection': 'cliniq-nordklinik',
      'booking.reservation.outcome': 'CONFIRMED',
    });
    expect(
      trace.find((span) => span.attributes['booking.provider.operation'] === 'ContractBook')
        ?.attributes,
    ).toMatchObject({
      'booking.connection': 'cliniq-nordklinik',
      'booking.call.kind': 'idempotentWrite',
      'booking.outcome': 'OK',
    });
    expect(
      trace.filter((span) => span.service === 'provider-cliniq').map((span) => span.name),
    ).toEqual(
      expect.arrayContaining(['POST /graphql', 'mutation ContractBook', 'provider.connection']),
    );

    // Everything exported so far, spans and metrics, by every service.
    const exported = receiver.bodies.join('\n');
    for (const secret of patientData) expect(exported).not.toContain(secret);
  });

  it('links the confirm of a hold, a request of its own, to the hold’s trace; both name the reservation', async () => {
    const held = await graphql(
      `mutation TracedHold($input: HoldSlotInput!) {
        holdSlot(input: $input) { __typename ... on ReservationResult { reservation { id status } } }
      }`,
      { input: { slotId: heldSlot, idempotencyKey: 'traced-hold' } },
    );
    expect(held.errors).toBeUndefined();
    const { id } = held.data.holdSlot.reservation;
    const confirmed = await graphql(
      `mutation TracedConfirm($input: ConfirmReservationInput!) {
        confirmReservation(input: $input) {
          __typename ... on ReservationResult { reservation { status } }
        }
      }`,
      { input: { reservationId: id, patient, idempotencyKey: 'traced-confirm' } },
    );
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data.confirmReservation.reservation.status).toBe('CONFIRMED');

    const spanOf = (operationName: string, name: string) =>
      eventually(() => {
        const span = traceOf(operationName).find((candidate) => candidate.name === name);
        expect(span, `${name} in ${operationName}`).toBeDefined();
        return span!;
      });
    const hold = await spanOf('TracedHold', 'reservation.hold');
    const confirm = await spanOf('TracedConfirm', 'reservation.confirm');
    expect(confirm.traceId).not.toBe(hold.traceId);
    expect(hold.attributes['booking.reservation.id']).toBe(id);
    expect(confirm.attributes['booking.reservation.id']).toBe(id);
    expect(confirm.links).toEqual([
      { traceId: hold.traceId, spanId: hold.spanId, attributes: { 'booking.link': 'hold' } },
    ]);
    // The resolver's span carries the id too: the trace from the gateway down names it.
    const resolver = await spanOf('TracedConfirm', 'graphql.resolve confirmReservation');
    expect(resolver.attributes['booking.reservation.id']).toBe(id);
    // The confirm carried the patient; nothing exported did.
    const exported = receiver.bodies.join('\n');
    for (const secret of patientData) expect(exported).not.toContain(secret);
  });

  it('writes trace_id and span_id into the log lines of a traced request', async () => {
    const trace = traceOf('TracedReservation');
    const ids = new Set(trace.map((span) => span.spanId));
    const traceId = trace[0]!.traceId;
    // startSystem shows each JSON line as `time LEVEL message key=value …`.
    const lines = logs.filter((line) => line.startsWith('scheduling') && line.includes(traceId));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toContain(`trace_id=${traceId}`);
      expect(ids.has(/span_id=(\w+)/.exec(line)?.[1] ?? '')).toBe(true);
    }
  });

  it('exports the platform metrics over OTLP', async () => {
    await eventually(() =>
      expect([...receiver.metricNames]).toEqual(
        expect.arrayContaining([
          'booking.graphql.operation.duration',
          'booking.provider.call.duration',
          'booking.provider.circuit.state',
          'booking.slot_cache.lookups',
          'booking.reservations',
          'http.server.request.duration',
          'http.client.request.duration',
        ]),
      ),
    );
  });

  it('exports latency histograms with exemplars that lead to the span measured', async () => {
    // A provider call's duration, recorded in its `provider.call` span: that span, in its trace.
    const exemplar = await eventually(() => {
      const found = receiver.exemplars.find(
        (candidate) =>
          candidate.service === 'scheduling' &&
          candidate.metric === 'booking.provider.call.duration' &&
          receiver.spans.some((span) => span.spanId === candidate.spanId),
      );
      expect(found, 'an exemplar of booking.provider.call.duration').toBeDefined();
      return found!;
    });
    const span = receiver.spans.find((candidate) => candidate.spanId === exemplar.spanId);
    expect(span).toMatchObject({
      service: 'scheduling',
      name: 'provider.call',
      traceId: exemplar.traceId,
    });
    // Every exemplar names a span that was exported (sampled), in the trace it says.
    await eventually(() => {
      const spans = new Map(receiver.spans.map((candidate) => [candidate.spanId, candidate]));
      for (const { service, metric, spanId, traceId } of receiver.exemplars) {
        expect(spans.get(spanId)?.traceId, `${service} ${metric}`).toBe(traceId);
      }
    });
  });
});
