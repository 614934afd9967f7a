import { defineStack } from './spec';

/**
 * Your observability stack. Edit this file and run `npm run synth`; every field is typed
 * (see src/spec/types.ts for all of them and src/spec/defaults.ts for what you get when you leave one out).
 */
export const stack = defineStack({
  namespace: 'observability',
  environment: 'local',
  services: [
    // The SDK's demo service (`npm run demo`); compose runs it as the `demo` container.
    {
      name: 'demo',
      port: 8080,
      metricsPath: '/metrics',
      slos: [
        // 99.9% of requests not answered 5xx, over 30 days: an error budget of 0.1%.
        { name: 'availability', type: 'availability', objective: 99.9, period: '30d' },
        // 99% of requests within 500ms (a bucket of http_server_request_duration_seconds), over 30 days.
        { name: 'latency', type: 'latency', objective: 99, period: '30d', threshold: 0.5 },
      ],
    },
  ],
});
