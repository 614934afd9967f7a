import type { AlertOverride, Duration, Severity, StackSpec } from '../spec';
import type { AlertExamples, AlertRule } from './model';

/** What a generator knows once overrides are applied: the values an alert's expression and examples depend on. */
export interface AlertParams {
  /** `for`, or undefined for an alert that fires at once. */
  readonly for: Duration | undefined;
  /** The threshold, for alerts that have one (undefined otherwise). */
  readonly threshold: number | undefined;
}

/** The part of an alert that depends on its parameters: expression, texts and the examples that test them. */
export interface AlertBody {
  readonly expr: string;
  readonly summary: string;
  readonly description: string;
  readonly examples: AlertExamples;
}

/**
 * An alert before overrides: its name, what it belongs to (for override matching), its defaults, and a function
 * from the final parameters to expression, texts and examples. Generators produce these; `resolveAlerts` applies
 * `alerting.overrides` and the runbook URL, so a new threshold or `for` changes the generated tests with it.
 */
export interface AlertTemplate {
  readonly alert: string;
  /**
   * The page a person follows when it fires: a URL, or a path under `alerting.runbookBaseUrl` (obskit's own are
   * `<Alert>.md` in docs/runbooks). Required: synth refuses an alert without one.
   */
  readonly runbook: string;
  readonly service?: string;
  readonly slo?: string;
  /**
   * The rule group it goes in, below its mixin's (`obskit.<mixin>[.<service>].<group.name>`), and that group's
   * evaluation interval (the global `evaluationInterval` when omitted).
   */
  readonly group?: { readonly name: string; readonly interval?: Duration };
  /** Checks an override's threshold (the range of the mixin parameter it replaces): a problem, or undefined. */
  readonly thresholdCheck?: (value: number) => string | undefined;
  readonly severity: Severity | 'none';
  readonly for?: Duration;
  readonly threshold?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly build: (params: AlertParams) => AlertBody;
}

function matches(override: AlertOverride, template: AlertTemplate): boolean {
  return (
    override.alert === template.alert &&
    (override.service === undefined || override.service === template.service) &&
    (override.slo === undefined || override.slo === template.slo)
  );
}

const specificity = (o: AlertOverride) => (o.service === undefined ? 0 : 2) + (o.slo === undefined ? 0 : 1);

/** The overrides that apply to an alert, least specific first (so the most specific is applied last and wins). */
export function overridesFor(template: AlertTemplate, overrides: readonly AlertOverride[]): AlertOverride[] {
  return overrides.filter((o) => matches(o, template)).sort((a, b) => specificity(a) - specificity(b));
}

/** What overrides make of an alert's defaults: severity, `for`, threshold and labels, or undefined when disabled. */
export interface ResolvedParams extends AlertParams {
  readonly severity: Severity | 'none';
  readonly labels: Readonly<Record<string, string>>;
}

/** An alert's parameters with its overrides applied (the most specific last), or undefined when one disables it. */
export function resolveParams(template: AlertTemplate, spec: StackSpec): ResolvedParams | undefined {
  let severity = template.severity;
  let forDuration = template.for;
  let threshold = template.threshold;
  let labels: Record<string, string> = { ...template.labels };
  let disabled = false;
  for (const o of overridesFor(template, spec.alerting.overrides)) {
    if (o.disabled !== undefined) disabled = o.disabled;
    if (o.severity !== undefined) severity = o.severity;
    if (o.for !== undefined) forDuration = o.for;
    if (o.threshold !== undefined && template.threshold !== undefined) threshold = o.threshold;
    if (o.labels) labels = { ...labels, ...o.labels };
  }
  return disabled ? undefined : { severity, for: forDuration, threshold, labels };
}

/** One alert with its overrides applied, or undefined when an override disables it. */
export function resolveAlert(template: AlertTemplate, spec: StackSpec): AlertRule | undefined {
  const params = resolveParams(template, spec);
  if (!params) return undefined;
  const { severity, for: forDuration, threshold, labels } = params;
  const body = template.build({ for: forDuration, threshold });
  return {
    alert: template.alert,
    ...body,
    ...(forDuration !== undefined ? { for: forDuration } : {}),
    severity,
    ...(Object.keys(labels).length > 0 ? { labels: { ...labels } } : {}),
    runbookUrl: runbookUrl(template.runbook, spec.alerting.runbookBaseUrl),
  };
}

/** Every alert of a list with overrides applied, disabled ones dropped. */
export function resolveAlerts(templates: readonly AlertTemplate[], spec: StackSpec): AlertRule[] {
  return templates.map((t) => resolveAlert(t, spec)).filter((a): a is AlertRule => a !== undefined);
}

/** A runbook as a URL: absolute ones as they are, paths under the base URL. */
export function runbookUrl(runbook: string, base: string): string {
  return /^https?:\/\//.test(runbook) ? runbook : `${base}/${runbook.replace(/^\/+/, '')}`;
}
