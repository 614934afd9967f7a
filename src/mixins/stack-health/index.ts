import { defineMixin } from '../../mixin/define';
import { param } from '../../mixin/params';
import type { StackSpec } from '../../spec/types';
import { stackHealthTemplates } from './alerts';
import { stackHealth as stackHealthDashboard } from './dashboards';
import { alertmanagerMetrics } from './metrics/alertmanager';
import { blackboxMetrics } from './metrics/blackbox';
import { collectorMetrics } from './metrics/collector';
import { lokiMetrics } from './metrics/loki';
import { prometheusMetrics } from './metrics/prometheus';
import { tempoMetrics } from './metrics/tempo';
import { healthCheckFailing } from './health-checks';
import { SERVICE_EXPECTED, serviceDown, sharedServiceDown } from './service-down';

const serviceDowns = (spec: StackSpec, downFor: string) =>
  spec.services.map((s) => serviceDown(s, downFor, spec.services.filter((o) => o.name !== s.name)));

/**
 * The stack watching itself: scrape targets, rule evaluation, alert delivery, the collector, Loki and Tempo taking
 * and passing on telemetry, the Watchdog; and ServiceDown for every observed service (each is scraped).
 */
export const stackHealth = defineMixin({
  name: 'stack-health',
  version: '1.0.0',
  scope: 'stack',
  description: 'The observability stack watching itself, and ServiceDown for every observed service.',
  params: {
    serviceDownFor: param.duration('3m', { description: 'How long every target of a service must be down (or gone) before ServiceDown fires.', max: '1h' }),
    healthCheckFor: param.duration('2m', { description: 'How long one of a service\'s health checks must fail before ServiceHealthCheckFailing fires.', max: '1h' }),
  },
  metrics: () => [...prometheusMetrics, ...alertmanagerMetrics, ...collectorMetrics, ...lokiMetrics, ...tempoMetrics, ...blackboxMetrics],
  recorded: [SERVICE_EXPECTED],
  alerts: ({ spec, config }) => [
    ...stackHealthTemplates(),
    ...serviceDowns(spec, config.serviceDownFor),
    ...spec.services.filter((s) => (s.healthChecks ?? []).length > 0).map((s) => healthCheckFailing(s, config.healthCheckFor)),
  ],
  sharedAlerts: ({ spec, instances }) => sharedServiceDown(spec, serviceDowns(spec, instances[0]!.config.serviceDownFor)),
  dashboards: () => [stackHealthDashboard()],
});

export * as stackCatalogs from './metrics';
