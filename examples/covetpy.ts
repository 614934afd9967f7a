/**
 * A stack for a CovetPy service to start from:
 *   npm run synth -- --spec examples/covetpy.ts --out my-stack
 * CovetPy serves its metrics at /_metrics and collects every 10 s (MetricConfig.collection_interval).
 * See docs/systems.md for what is served.
 */
import { defineStack } from '../src/spec';
import { covetpy, covetpyAvailability, covetpyLatency } from '../src/mixins';

export const stack = defineStack({
  namespace: 'observability',
  services: [
    {
      name: 'covetpy-service',
      port: 8000,
      metricsPath: '/_metrics',
      scrapeInterval: '10s',
      mixins: [covetpy()],
      slos: [
        { name: 'availability', sli: covetpyAvailability(), objective: 99.9, period: '30d' },
        { name: 'latency', sli: covetpyLatency(0.5), objective: 99, period: '30d' },
      ],
    },
  ],
});
