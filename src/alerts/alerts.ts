import { burnRateAlertNames } from './slo-policy';

/**
 * Every alert obskit generates, by name, and what an override may change on it. Validation reads this (an override
 * must name a real alert, and may only set a threshold where the alert has one); the generators' tests check that
 * they produce exactly these names.
 */

/** The unit an alert's threshold is in: a share (0–1), seconds or bytes. */
export type ThresholdKind = 'ratio' | 'seconds' | 'bytes';

export interface AlertInfo {
  /** `stack`: one per stack target; `service`: one per observed service; `slo`: one per service and SLO. */
  readonly scope: 'stack' | 'service' | 'slo';
  /** Set when an override may change the alert's threshold. */
  readonly threshold?: ThresholdKind;
}

const stack = (threshold?: ThresholdKind): AlertInfo => ({ scope: 'stack', ...(threshold ? { threshold } : {}) });
const service = (threshold?: ThresholdKind): AlertInfo => ({ scope: 'service', ...(threshold ? { threshold } : {}) });

export const STACK_ALERTS = {
  Watchdog: stack(),
  TargetDown: stack(),
  PrometheusRuleEvaluationFailures: stack(),
  PrometheusNotificationsFailing: stack('ratio'),
  AlertmanagerFailedToSendAlerts: stack('ratio'),
  OtelCollectorRefusingSpans: stack('ratio'),
  OtelCollectorRefusingMetricPoints: stack('ratio'),
  OtelCollectorRefusingLogRecords: stack('ratio'),
  OtelCollectorFailingToSendSpans: stack('ratio'),
  OtelCollectorFailingToSendMetricPoints: stack('ratio'),
  OtelCollectorFailingToSendLogRecords: stack('ratio'),
  LokiDiscardingLogLines: stack('ratio'),
  TempoDiscardingSpans: stack('ratio'),
} as const satisfies Record<string, AlertInfo>;

export const SERVICE_ALERTS = {
  ServiceDown: service(),
  ServiceErrorRatioHigh: service('ratio'),
  ServiceLatencyHigh: service('seconds'),
  ServiceMemoryHigh: service('bytes'),
  ServiceEventLoopLagHigh: service('seconds'),
} as const satisfies Record<string, AlertInfo>;

export type StackAlertName = keyof typeof STACK_ALERTS;
export type ServiceAlertName = keyof typeof SERVICE_ALERTS;

/** Every generated alert: stack health, per-service RED, and one burn-rate alert per tier (page, ticket). */
export const ALERTS: Readonly<Record<string, AlertInfo>> = {
  ...STACK_ALERTS,
  ...SERVICE_ALERTS,
  ...Object.fromEntries(burnRateAlertNames().map((alert) => [alert, { scope: 'slo' } satisfies AlertInfo])),
};

/** Alerts obskit no longer generates, and what replaced them (so an override naming one gets a useful error). */
export const REPLACED_ALERTS: Readonly<Record<string, string>> = {
  ErrorBudgetBurn1h: 'ErrorBudgetBurnFast',
  ErrorBudgetBurn6h: 'ErrorBudgetBurnFast',
  ErrorBudgetBurn1d: 'ErrorBudgetBurnSlow',
  ErrorBudgetBurn3d: 'ErrorBudgetBurnSlow',
};
