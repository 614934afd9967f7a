import type { Duration, Severity } from '../spec';

/** One input series for a `promtool test rules` case, in promtool's expanding notation: `0+1x10`, `1x20`, `_x5`. */
export interface ExampleSeries {
  readonly series: string;
  readonly values: string;
}

interface ExampleBase {
  /** What the case shows, for a human reading the generated test file. */
  readonly name: string;
  readonly series: readonly ExampleSeries[];
  /** When to evaluate, as an offset from the first sample. */
  readonly evalTime: Duration;
  /** Spacing of the samples in `series`; 1m when omitted. */
  readonly interval?: Duration;
}

/** Input under which the alert fires, and exactly what it must fire with. */
export interface FiringExample extends ExampleBase {
  /**
   * One entry per expected alert: its labels besides `severity` and the rule's own `labels`
   * (those are added from the rule). Annotations are the rule's templates with `{{ $labels.x }}`
   * filled in from these labels; give `summary`/`description` when a template uses anything else.
   */
  readonly alerts: readonly {
    readonly labels: Readonly<Record<string, string>>;
    /**
     * The alert's value at `evalTime`, for templates that show `$value` (through `humanize`,
     * `humanizePercentage`, `humanizeDuration` or `humanize1024`); a nearby value is enough, as those round
     * to 4 significant digits.
     */
    readonly value?: number;
    readonly summary?: string;
    readonly description?: string;
  }[];
}

/** Input under which the alert must not fire: ideally a near miss (too short, under the threshold). */
export type SilentExample = ExampleBase;

/** An alert that by design always fires (the Watchdog) says why instead of giving a silent example. */
export interface NeverSilent {
  readonly neverSilent: string;
}

/** How many separate times the alert fired (went from not firing to firing) between the start and `until`. */
export interface EpisodeCheck {
  /** Another alert of the same instance (its scenario labels) to count instead, e.g. the ticket beside the page. */
  readonly alert?: string;
  /**
   * Count every alert of this severity with the scenario's labels instead, each alert name's episodes added up:
   * the number of pages (or tickets) someone gets, whatever the alerts are called.
   */
  readonly severity?: string;
  readonly until: Duration;
  readonly episodes: number;
}

/**
 * A longer story than a single evaluation can tell: hours of input, and how many firing episodes of the alert
 * (counted from Prometheus's own `ALERTS` series, every evaluation) it has seen by each `until`. "Pages within 30
 * minutes and only once" is one episode by 30m and still one at 12h; "never pages" is none at the end.
 */
export interface Scenario {
  readonly name: string;
  readonly series: readonly ExampleSeries[];
  /** Spacing of the samples and of the evaluations; 1m when omitted. */
  readonly interval?: Duration;
  /** The labels that pick the alert's instance (besides those the rule sets itself). */
  readonly labels: Readonly<Record<string, string>>;
  readonly checks: readonly EpisodeCheck[];
  /**
   * Expressions that must have no result at any evaluation from `from` to the end of the scenario (its last check),
   * such as a NaN budget (`x != x`).
   */
  readonly never?: readonly { readonly what: string; readonly expr: string; readonly from: Duration }[];
}

export interface AlertExamples {
  readonly fires: FiringExample;
  /** One near miss, or several (e.g. under the threshold, and too little traffic to judge). */
  readonly silent: SilentExample | readonly SilentExample[] | NeverSilent;
  readonly scenarios?: readonly Scenario[];
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  /** `none` only for alerts that are not meant for a person (the Watchdog). */
  readonly severity: Severity | 'none';
  readonly labels?: Readonly<Record<string, string>>;
  /** Go templates, as Prometheus expands them: `{{ $labels.job }}`, `{{ $value | humanizePercentage }}`. */
  readonly summary: string;
  readonly description: string;
  /** Where the runbook page is: `<runbookBaseUrl>/<alert>.md`. */
  readonly runbookUrl: string;
  /** Every alert carries its own `promtool test rules` cases, so none ships untested. */
  readonly examples: AlertExamples;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: Duration;
  readonly rules: readonly Rule[];
  /**
   * Its alerts' scenarios run for hours of evaluations each, and promtool's cost grows with evaluations × rules: they
   * go to test files of their own, one per scenario labels (one SLO's stories), each loading the whole rule file.
   */
  readonly scenariosApart?: boolean;
}

export function isAlertRule(rule: Rule): rule is AlertRule {
  return 'alert' in rule;
}

export function isNeverSilent(example: AlertExamples['silent']): example is NeverSilent {
  return !Array.isArray(example) && 'neverSilent' in example;
}

/** The silent examples of an alert, as a list (empty for an alert that never is silent). */
export function silentExamples(examples: AlertExamples): readonly SilentExample[] {
  const { silent } = examples;
  if (isNeverSilent(silent)) return [];
  return Array.isArray(silent) ? silent : [silent as SilentExample];
}
