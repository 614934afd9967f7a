/**
 * A stack for Galway (specify-cli / jp-spec-kit) to start from:
 *   npm run synth -- --spec examples/galway.ts --out my-stack
 * The exporter runs on the host (the document's start_http_server(9090)); its CI job label arrives as exported_job.
 * See docs/systems.md for what is served.
 */
import { defineStack } from '../src/spec';
import { ciPipelineDurationWithin, ciPipelineSuccess, galway } from '../src/mixins';

export const stack = defineStack({
  namespace: 'observability',
  services: [
    {
      name: 'jp-spec-kit',
      port: 9090,
      host: 'host.docker.internal',
      scrapeInterval: '15s',
      mixins: [galway()],
      slos: [
        { name: 'ci-success', sli: ciPipelineSuccess(), objective: 99, period: '30d' },
        { name: 'ci-within-10m', sli: ciPipelineDurationWithin(600), objective: 99, period: '30d' },
      ],
    },
  ],
});
