/**
 * SLOs: one row per objective of the selected service (the row repeats over `$slo`), all from the SLO recording
 * rules (src/promql/recorded.ts): the target, the SLI and error budget left over the SLO period, the burn rate
 * of each multi-window alert against the factor it fires at, and the state of those alerts.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { ALERTS } from '../promql/builtin';
import { maxBy, re, series, sub } from '../promql/expr';
import { RECORDED } from '../promql/recorded';
import { BURN_RATE_POLICY, burnRateAlertNames, burnRateFactor, type BurnRatePolicy } from '../alerts/slo-policy';
import type { StackSpec } from '../spec/types';
import { place, type DashboardDefinition } from './layout';
import { binaryMapping, prom, statPanel, stateTimelinePanel, thresholds, timeseriesPanel } from './panels';
import { datasourceVariable, serviceVariable, sloVariable, VAR, VARIABLE_NAMES } from './variables';
import { PROMETHEUS } from './datasources';

export const SLO_UID = 'obskit-slo';
/** The period burn-rate factors are drawn for when the spec's SLOs do not share one (SRE workbook default). */
export const DEFAULT_SLO_PERIOD = '30d';

const slo = { service_name: VAR.service, slo: re(VAR.slo) } as const;

/** Budget left: red when overspent, orange under a quarter, green otherwise. */
const budgetThresholds = () => thresholds('red', [0, 'orange'], [0.25, 'green']);

// ---------------------------------------------------------------------------------------------- panels

export const objective = () =>
  statPanel({ title: 'Objective', description: 'Target share of good requests.', unit: units.PercentUnit, thresholds: thresholds('blue'), sparkline: false }).withTarget(
    prom(series(RECORDED.sloObjective, slo), 'objective'),
  );

export const sli = () =>
  statPanel({
    title: 'SLI over the period',
    description: 'Share of good requests over the SLO period (compare with the objective).',
    unit: units.PercentUnit,
    thresholds: thresholds('blue'),
  }).withTarget(prom(sub(1, series(RECORDED.sloErrorRatioPeriod, slo)), 'SLI'));

export const budgetRemaining = () =>
  statPanel({
    title: 'Error budget left',
    description: 'Share of the period’s error budget not yet spent (negative: overspent).',
    unit: units.PercentUnit,
    thresholds: budgetThresholds(),
  }).withTarget(prom(series(RECORDED.sloErrorBudgetRemaining, slo), 'budget left'));

export const budgetRemainingOverTime = () =>
  timeseriesPanel({
    title: 'Error budget left over time',
    description: 'Share of the period’s error budget not yet spent.',
    unit: units.PercentUnit,
    thresholds: budgetThresholds(),
    showThresholds: true,
    max: 1,
  }).withTarget(prom(series(RECORDED.sloErrorBudgetRemaining, slo), 'budget left'));

/**
 * The two windows of one burn-rate alert against the factor it fires at: the alert fires when both lines are
 * above the dashed one. `factor` is undefined when the spec's SLOs have different periods (no single line).
 */
export const burnRate = (policy: BurnRatePolicy, factor: number | undefined) =>
  timeseriesPanel({
    title: `Burn rate ${policy.long} / ${policy.short} (${policy.tier})`,
    description:
      `Error budget burn rate over ${policy.long} and ${policy.short} (1 = spending exactly the budget). ` +
      (factor === undefined
        ? `${policy.alert} fires when both exceed its factor (budget share ${policy.budgetSpent} × period / ${policy.long}), or its other window pair does.`
        : `${policy.alert} fires when both exceed ${factor} (dashed), or its other window pair does.`),
    unit: units.Short,
    thresholds: factor === undefined ? thresholds('green') : thresholds('green', [factor, 'red']),
    showThresholds: factor !== undefined,
    min: 0,
  })
    .withTarget(prom(series(RECORDED.sloBurnRate[policy.long], slo), policy.long))
    .withTarget(prom(series(RECORDED.sloBurnRate[policy.short], slo), policy.short));

/** Pending and firing burn-rate alerts of this SLO over time. */
export const alertStates = () =>
  stateTimelinePanel({
    title: 'Burn-rate alerts',
    description: `State of ${burnRateAlertNames().join(', ')} for this SLO (empty: none pending or firing).`,
    unit: units.NoUnit,
    thresholds: thresholds('red'),
    mappings: [binaryMapping({ text: 'inactive', color: 'green' }, { text: 'active', color: 'red' })],
  }).withTarget(
    prom(
      maxBy(['alertname', 'alertstate'], series(ALERTS, { ...slo, alertname: re(burnRateAlertNames().join('|')) })),
      '{{alertname}} {{alertstate}}',
    ),
  );

/** Burn-rate alerts of the service, as annotations. */
export const burnRateAlerts = () =>
  new dashboard.AnnotationQueryBuilder()
    .name('Burn-rate alerts')
    .datasource({ ...PROMETHEUS })
    .enable(true)
    .iconColor('red')
    .expr(series(ALERTS, { alertstate: 'firing', service_name: VAR.service, alertname: re(burnRateAlertNames().join('|')) }))
    .titleFormat('{{alertname}} ({{slo}})')
    .textFormat('{{severity}}')
    .tagKeys('alertname,slo,severity')
    .step('60s')
    .useValueForTime(false);

// ---------------------------------------------------------------------------------------------- dashboard

/** The SLO period shared by every SLO of the spec, or undefined when they differ. */
export function sharedSloPeriod(spec: StackSpec): string | undefined {
  const periods = new Set(spec.services.flatMap((s) => (s.slos ?? []).map((o) => o.period)));
  if (periods.size === 0) return DEFAULT_SLO_PERIOD;
  return periods.size === 1 ? [...periods][0] : undefined;
}

export function sloDashboard(spec: StackSpec): DashboardDefinition {
  const withSlos = spec.services.filter((s) => (s.slos ?? []).length > 0).map((s) => s.name);
  const services = withSlos.length > 0 ? withSlos : spec.services.map((s) => s.name);
  const period = sharedSloPeriod(spec);
  const factor = (p: BurnRatePolicy) => (period === undefined ? undefined : burnRateFactor(p, period).toNumber());
  return {
    file: 'slo',
    uid: SLO_UID,
    title: 'SLOs',
    description: 'Service level objectives of one service: target, SLI, error budget, burn rates and burn-rate alerts.',
    tags: ['slo', 'service'],
    variables: [datasourceVariable(), serviceVariable(services, services[0] ?? ''), sloVariable()],
    annotations: [burnRateAlerts()],
    rows: [
      {
        title: `SLO $${VARIABLE_NAMES.slo}`,
        repeat: VARIABLE_NAMES.slo,
        panels: [
          place(objective(), 4, 6),
          place(sli(), 4, 6),
          place(budgetRemaining(), 4, 6),
          place(budgetRemainingOverTime(), 12, 6),
          ...BURN_RATE_POLICY.map((p) => place(burnRate(p, factor(p)), Math.max(1, Math.floor(24 / BURN_RATE_POLICY.length)), 7)),
          place(alertStates(), 24, 5),
        ],
      },
    ],
  };
}
