// Prometheus metrics, one registry per gateway instance (tests run several in one process).
import client from 'prom-client';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[]) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    lettersReceived: counter('gateway_letters_received_total', 'Letters stored by intake', ['channel']),
    lettersForwarded: counter('gateway_letters_forwarded_total', 'Letters accepted by the case store', ['channel']),
    forwardFailures: counter('gateway_letter_forward_failures_total', 'Forwarding tries that did not get a serial', [
      'channel',
      'outcome',
    ]),
    forwardLatency: new client.Histogram({
      name: 'gateway_letter_forward_latency_seconds',
      help: 'Time from receipt to acceptance by the case store',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    deliveries: counter(
      'gateway_deliveries_total',
      'Delivery attempts by outcome (and the provider error code, when there is one)',
      ['channel', 'route', 'outcome', 'error_code'],
    ),
    conversationMessages: counter(
      'gateway_conversation_messages_total',
      'Official-account and SMS messages handed to the conversation module',
      ['channel', 'outcome'],
    ),
    conversationDrafts: counter(
      'gateway_conversation_drafts_total',
      'Draft letters closed, by outcome (submitted, refused)',
      ['channel', 'outcome'],
    ),
    conversationMedia: counter(
      'gateway_conversation_media_total',
      'Media fetch tries by outcome (stored, retry, missing)',
      ['channel', 'outcome'],
    ),
    httpRequests: counter('gateway_http_requests_total', 'HTTP requests served', ['method', 'status']),
    tokenRefreshes: counter(
      'gateway_token_refreshes_total',
      'Access token refreshes by channel and outcome (refreshed, failed)',
      ['channel', 'outcome'],
    ),
    pushVerificationFailures: counter(
      'gateway_push_verification_failures_total',
      'Provider pushes refused before reading them, by channel and reason (error code)',
      ['channel', 'reason'],
    ),
    queueDepth: new client.Gauge({
      name: 'gateway_queue_depth',
      help: 'Rows waiting: letters to forward, deliveries to send',
      labelNames: ['queue'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
