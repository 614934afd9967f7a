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
    { name: 'demo', port: 8080, metricsPath: '/metrics' },
  ],
});
