import { demoShop, http, httpAvailability, httpLatency, nodejs } from './mixins';
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
      // What it emits: HTTP RED and the Node.js runtime (through obskit's SDK), and its business metrics.
      mixins: [http(), nodejs(), demoShop()],
      slos: [
        // 99.9% of requests not answered 5xx, over 30 days: an error budget of 0.1%.
        { name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' },
        // 99% of requests within 500ms (a bucket of the service's http() buckets), over 30 days.
        { name: 'latency', sli: httpLatency(0.5), objective: 99, period: '30d' },
      ],
    },
  ],
});
