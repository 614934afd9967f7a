import { defineRecorded, type RecordedSeries } from './expr';

/**
 * The series the SLO rules write (src/alerts/slo.ts), named `level:metric:operations` (Prometheus's convention: the
 * labels kept, the metric, then the operations applied, newest first). Dashboards and rules query these through
 * `series(RECORDED.x, { service_name: … })`; a test checks the two agree. A mixin declares the series its own
 * recording rules write in its `recorded`.
 */

const SLO = ['service_name', 'slo'] as const;

/** The windows SLO series are recorded over (the burn-rate alert windows of src/alerts/slo-policy.ts). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** The labels of `slo:error_budget:ratio` besides service_name and slo (see src/alerts/slo.ts). */
export const SLO_PARAMETER_LABELS = ['slo_alerts', 'slo_objective', 'slo_events', 'slo_bad_events'] as const;

/** The base window: recorded from raw counters per SLO; every longer window is the time-average of its rates. */
export const SLO_BASE_WINDOW = '5m' satisfies SloWindow;
const averaged = (w: SloWindow) => (w === SLO_BASE_WINDOW ? '' : ` (the time-average of the ${SLO_BASE_WINDOW} rate)`);

type SloSeries<P extends string> = { readonly [W in SloWindow]: RecordedSeries<`${P}${W}`, typeof SLO> };
function perWindow<const P extends string>(prefix: P, help: (w: SloWindow) => string): SloSeries<P> {
  return Object.fromEntries(
    SLO_WINDOWS.map((w) => [w, defineRecorded({ name: `${prefix}${w}` as `${P}${typeof w}`, labelNames: SLO, help: help(w) })]),
  ) as unknown as SloSeries<P>;
}

export const RECORDED = {
  // Per service and SLO (src/alerts/slo.ts); label `slo` is the SLO's name from the spec.
  sloErrorRate: perWindow('slo:sli_errors:rate', (w) => `Bad events (errors, or requests slower than the threshold) per second over ${w}${averaged(w)}.`),
  sloRequestRate: perWindow('slo:sli_requests:rate', (w) => `All events the SLO counts, per second over ${w}${averaged(w)}.`),
  sloErrorRatio: perWindow('slo:sli_error:ratio_rate', (w) => `Share of bad events over ${w}: sli_errors / sli_requests over ${w}.`),
  sloBurnRate: perWindow('slo:burn_rate:ratio_rate', (w) => `Error budget burn rate over ${w}: the error ratio divided by the budget (1 = on budget).`),
  sloErrorRatioPeriod: defineRecorded({
    name: 'slo:sli_error:ratio_period',
    labelNames: SLO,
    help: 'Share of bad events over the SLO period: the time-averaged 5m error rate over the time-averaged 5m request rate.',
  }),
  sloErrorBudgetRemaining: defineRecorded({
    name: 'slo:error_budget_remaining:ratio',
    labelNames: SLO,
    help: 'Share of the error budget left over the SLO period: 1 - error ratio / budget (negative when overspent).',
  }),
  sloObjective: defineRecorded({
    name: 'slo:objective:ratio',
    labelNames: SLO,
    help: 'The SLO objective as a ratio (99.9% → 0.999).',
  }),
  sloErrorBudget: defineRecorded({
    name: 'slo:error_budget:ratio',
    labelNames: [...SLO, ...SLO_PARAMETER_LABELS],
    help:
      'The error budget as a ratio (99.9% → 0.001), labelled with what the shared rules and alert texts need of the SLO: ' +
      'its alerting class (slo_alerts, which fixes its period), objective and the words for its events.',
  }),
} as const;

/** Every recorded series definition, flat. */
export function recordedSeries(): RecordedSeries[] {
  return Object.values(RECORDED).flatMap((entry) =>
    'kind' in entry ? [entry as RecordedSeries] : (Object.values(entry) as RecordedSeries[]),
  );
}
