/**
 * Fleet overview: every service of the spec at once. Whether each is up (every scraped service has `up`) and how
 * much SLO error budget it has left (every service with SLOs) come from here; each mixin in use adds its own
 * per-service panels (`fleetPanels`: the http mixin's request rate, error ratio and p95), so the dashboard holds no
 * metric of its own beyond Prometheus's and the SLO series.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { UP } from '../promql/builtin';
import { minBy, re, series, sumBy } from '../promql/expr';
import { RECORDED } from '../promql/recorded';
import type { StackSpec } from '../spec/types';
import { firingAlerts } from './annotations';
import { place, type DashboardDefinition, type PanelBuilderLike } from './layout';
import { bargaugePanel, binaryMapping, prom, promInstant, stateTimelinePanel, thresholds } from './panels';
import { datasourceVariable } from './variables';

export const FLEET_UID = 'obskit-fleet';

const services = (spec: StackSpec) => spec.services.map((s) => s.name).join('|');

export const serviceUp = (spec: StackSpec) =>
  stateTimelinePanel({
    title: 'Services up',
    description: 'Whether at least one target of each service was scraped successfully.',
    unit: units.NoUnit,
    thresholds: thresholds('red', [1, 'green']),
    mappings: [binaryMapping({ text: 'down', color: 'red' }, { text: 'up', color: 'green' })],
  }).withTarget(prom(sumBy(['service_name'], series(UP, { service_name: re(services(spec)) })), '{{service_name}}'));

export const budgetLeft = () =>
  bargaugePanel({
    title: 'SLO error budget left (worst SLO)',
    description: 'Per service, the share of the period’s error budget its worst SLO has left (negative: overspent).',
    unit: units.PercentUnit,
    thresholds: thresholds('red', [0, 'orange'], [0.25, 'green']),
    max: 1,
  }).withTarget(promInstant(minBy(['service_name'], series(RECORDED.sloErrorBudgetRemaining)), '{{service_name}}'));

export function fleetOverview(spec: StackSpec, mixinPanels: readonly PanelBuilderLike[]): DashboardDefinition {
  const hasSlos = spec.services.some((s) => (s.slos ?? []).length > 0);
  const perService = [...mixinPanels, ...(hasSlos ? [budgetLeft()] : [])];
  return {
    file: 'fleet',
    uid: FLEET_UID,
    title: 'Fleet overview',
    description: 'Every service of the stack at once: up, traffic, errors, latency and SLO budget left.',
    tags: ['fleet', 'service'],
    variables: [datasourceVariable()],
    annotations: [firingAlerts(false)],
    rows: [
      { title: 'Availability', panels: [place(serviceUp(spec), 24, Math.min(12, 3 + spec.services.length))] },
      ...(perService.length > 0 ? [{ title: 'Per service', panels: perService.map((p) => place(p, perService.length === 1 ? 24 : 12, 8)) }] : []),
    ],
  };
}
