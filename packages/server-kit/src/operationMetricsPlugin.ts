import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type Meter, metrics } from '@opentelemetry/api';

/** Latency buckets in seconds (OpenTelemetry's advice for HTTP durations). */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * Measures every GraphQL operation a service answers: `booking.graphql.operation.duration`
 * (seconds; its count is the request rate) by `graphql.operation.name`, `graphql.operation.type`
 * and `booking.outcome` (`OK`, or the first error's `extensions.code`). Nothing else of a request
 * is recorded. A no-op until a meter provider is registered.
 */
export function operationMetricsPlugin<TContext extends BaseContext>(
  meter: Meter = metrics.getMeter('booking.graphql'),
): ApolloServerPlugin<TContext> {
  const duration = meter.createHistogram('booking.graphql.operation.duration', {
    description: 'GraphQL operations answered, by operation and outcome',
    unit: 's',
    advice: { explicitBucketBoundaries: durationBuckets },
  });
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // As the client sees it (formatted, with its code), else as the pipeline recorded it.
          const firstError = body?.errors?.[0] ?? errors?.[0];
          const code = firstError?.extensions?.code;
          duration.record((performance.now() - started) / 1000, {
            // The name the document defines, not one a request claims. Where documents are not
            // enforced, the SDK's cardinality limit (2000 series per metric) bounds what clients invent.
            'graphql.operation.name': operation ? (operationName ?? '') : '',
            'graphql.operation.type': operation?.operation ?? 'unknown',
            'booking.outcome': firstError ? (typeof code === 'string' ? code : 'ERROR') : 'OK',
          });
        },
      };
    },
  };
}
