import { defineMixin } from '../../mixin/define';
import { domainMetrics } from '../../sdk/catalog/domain';

/** The business metrics of the SDK's demo service (src/sdk/demo): orders by outcome, payment provider latency. */
export const demoShop = defineMixin({
  name: 'demo',
  version: '1.0.0',
  scope: 'service',
  description: 'The demo service’s business metrics.',
  params: {},
  metrics: () => domainMetrics,
});
