import {
  ciPipelineDurationWithin,
  ciPipelineSuccess,
  covetpy,
  covetpyAvailability,
  covetpyLatency,
  demoShop,
  galway,
  gitNotesMemory,
  capturesWithoutError,
  hookWithinTimeout,
  http,
  httpAvailability,
  httpLatency,
  nodejs,
  pythonRuntime,
  zephyr,
  zephyrAvailability,
  zephyrLatency,
} from './mixins';
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
    // The four systems obskit was made for (docs/systems.md), as examples/*.ts configure them. `simulated: true`:
    // compose runs obskit's simulator in their place (every metric of their mixins, plausible values), so every
    // dashboard has data. With the real service running, remove `simulated` (and set `host` to where it runs).
    {
      name: 'zephyr-app',
      port: 8000,
      simulated: true,
      mixins: [zephyr(), pythonRuntime()],
      slos: [
        { name: 'availability', sli: zephyrAvailability(), objective: 99.9, period: '30d' },
        { name: 'latency', sli: zephyrLatency(1), objective: 99, period: '30d' },
      ],
    },
    {
      name: 'covetpy-service',
      port: 8001,
      metricsPath: '/_metrics',
      simulated: true,
      mixins: [covetpy()],
      slos: [
        { name: 'availability', sli: covetpyAvailability(), objective: 99.9, period: '30d' },
        { name: 'latency', sli: covetpyLatency(0.5), objective: 99, period: '30d' },
      ],
    },
    {
      name: 'jp-spec-kit',
      port: 9090,
      simulated: true,
      mixins: [galway()],
      slos: [
        { name: 'ci-success', sli: ciPipelineSuccess(), objective: 99, period: '30d' },
        { name: 'ci-within-10m', sli: ciPipelineDurationWithin(600), objective: 99, period: '30d' },
      ],
    },
    {
      name: 'git-notes-memory',
      port: 9464,
      simulated: true,
      mixins: [gitNotesMemory()],
      slos: [
        { name: 'captures-without-error', sli: capturesWithoutError(), objective: 99, period: '30d' },
        { name: 'prompt-hook-within-timeout', sli: hookWithinTimeout('user_prompt', 2000), objective: 99, period: '30d' },
      ],
    },
  ],
});
