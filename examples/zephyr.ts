/**
 * A stack for a Zephyr application to start from:
 *   npm run synth -- --spec examples/zephyr.ts --out my-stack
 * Zephyr exports with prometheus_client at /metrics; pythonRuntime() brings the process metrics its memory and CPU
 * panels and HighMemoryUsage read. See docs/systems.md for what is served.
 */
import { defineStack } from '../src/spec';
import { pythonRuntime, zephyr, zephyrAvailability, zephyrLatency } from '../src/mixins';

export const stack = defineStack({
  namespace: 'observability',
  scrapeInterval: '15s',
  retention: { metrics: '30d' },
  services: [
    {
      name: 'zephyr-app',
      port: 8000,
      mixins: [zephyr(), pythonRuntime()],
      slos: [
        { name: 'availability', sli: zephyrAvailability(), objective: 99.9, period: '30d' },
        { name: 'latency', sli: zephyrLatency(1), objective: 99, period: '30d' },
      ],
    },
  ],
});
