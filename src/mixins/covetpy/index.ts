import { defineMixin } from '../../mixin/define';
import { covetpyAlerts } from './alerts';
import { covetpyParams } from './config';
import { covetpyFleetPanels, covetpyService } from './dashboards';
import { covetpyMetrics } from './metrics';
import { COVETPY_RECORDED } from './recorded';
import { covetpyRecordingRules } from './rules';

/**
 * CovetPy (a Python web framework on a Rust core; ../shared/seeds/004_*, ADR-006): RED from its request middleware,
 * USE from its core gauges, its example business counter, the cardinality budget (max_cardinality) as a panel and an
 * alert; SLOs on its duration histogram. Its metrics endpoint is `/_metrics` (set the service's metricsPath).
 * Requirements and choices: docs/systems.md, docs/systems-extract/covetpy.md.
 */
export const covetpy = defineMixin({
  name: 'covetpy',
  version: '1.0.0',
  scope: 'service',
  description: 'CovetPy: RED, USE, business and cardinality of a CovetPy service.',
  params: covetpyParams,
  metrics: (c) => covetpyMetrics(c.buckets),
  recorded: Object.values(COVETPY_RECORDED),
  recordingRules: covetpyRecordingRules,
  alerts: covetpyAlerts,
  dashboards: (ctx) => [covetpyService(ctx)],
  fleetPanels: covetpyFleetPanels,
});

export { covetpyAvailability, covetpyLatency } from './slos';
export type { CovetpyConfig } from './config';
