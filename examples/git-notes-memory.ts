/**
 * A stack for git-notes-memory (a Claude Code plugin) to start from:
 *   npm run synth -- --spec examples/git-notes-memory.ts --out my-stack
 * The plugin runs on your machine: compose's Prometheus reaches it at host.docker.internal on the port you give
 * MEMORY_PLUGIN_PROMETHEUS_PORT (not 9090, Prometheus's own). See docs/systems.md for what is served.
 */
import { defineStack } from '../src/spec';
import { capturesWithoutError, gitNotesMemory, hookWithinTimeout } from '../src/mixins';

export const stack = defineStack({
  namespace: 'observability',
  services: [
    {
      name: 'git-notes-memory',
      port: 9464,
      host: 'host.docker.internal',
      mixins: [gitNotesMemory()],
      slos: [
        { name: 'captures-without-error', sli: capturesWithoutError(), objective: 99, period: '30d' },
        { name: 'prompt-hook-within-timeout', sli: hookWithinTimeout('user_prompt', 2000), objective: 99, period: '30d' },
      ],
    },
  ],
});
