import { defineMixin } from '../../mixin/define';
import { zephyrAlerts } from './alerts';
import { checkZephyrConfig, zephyrParams } from './config';
import { applicationOverview, businessMetrics, databasePerformance, zephyrFleetPanels } from './dashboards';
import { zephyrMetrics } from './metrics';
import { ZEPHYR_RECORDED } from './recorded';
import { zephyrRecordingRules } from './rules';

/**
 * Zephyr (a Python web framework; ../shared/seeds/002_*): its HTTP, business and database metrics under the names
 * its proposal gives, the Application Overview, Database Performance and Business Metrics dashboards, and the
 * alerts HighErrorRate, ApplicationDown, DatabaseConnectionIssues, HighResponseTime and HighMemoryUsage. Memory and
 * CPU come from prometheus_client's defaults: list `pythonRuntime()` on the same service. Requirements and the
 * choices made where the document contradicts itself: docs/systems.md, docs/systems-extract/zephyr.md.
 */
export const zephyr = defineMixin({
  name: 'zephyr',
  version: '1.0.0',
  scope: 'service',
  description: 'Zephyr: HTTP, business and database metrics, its three dashboards and five alerts.',
  params: zephyrParams,
  check: checkZephyrConfig,
  metrics: (c) => zephyrMetrics(c),
  recorded: Object.values(ZEPHYR_RECORDED),
  recordingRules: zephyrRecordingRules,
  alerts: zephyrAlerts,
  dashboards: (ctx) => [applicationOverview(ctx), databasePerformance(ctx), businessMetrics(ctx)],
  fleetPanels: zephyrFleetPanels,
  // For the simulator (the document gives no values).
  labelExamples: { source: ['web', 'mobile', 'api'], product_category: ['books', 'electronics', 'clothing'], product_id: ['sku-1001', 'sku-1002', 'sku-1003'] },
});

export { zephyrAvailability, zephyrLatency } from './slos';
export { PROMETHEUS_CLIENT_BUCKETS } from './metrics';
export type { ZephyrConfig } from './config';
