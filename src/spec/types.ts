import type { MixinUse } from '../mixin/define';

/**
 * The typed stack spec: what a platform team edits to describe its observability stack.
 * `StackSpecInput` is what you write (most fields optional); `StackSpec` is the same with every
 * default filled in, which is what renderers receive.
 */

/** A Prometheus duration: `30s`, `5m`, `1h30m`, `15d`, `2w`. */
export type Duration = string;
/** A Kubernetes resource quantity: `500m`, `1`, `256Mi`, `20Gi`. */
export type Quantity = string;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const COMPONENTS = ['collector', 'prometheus', 'alertmanager', 'grafana', 'loki', 'tempo'] as const;
export type Component = (typeof COMPONENTS)[number];

export const STATEFUL_COMPONENTS = ['prometheus', 'alertmanager', 'grafana', 'loki', 'tempo'] as const;
export type StatefulComponent = (typeof STATEFUL_COMPONENTS)[number];

/**
 * A secret is never written into the spec or any generated file, only referenced:
 * in Kubernetes the key `key` of the Secret `name` (you create it); in compose the file
 * `compose/secrets/<name>/<key>` (you create it; git ignores that folder).
 */
export interface SecretRef {
  readonly name: string;
  readonly key: string;
}

/** A service obskit observes: Prometheus scrapes `http://<host>:<port><metricsPath>`. */
export interface ServiceSpec {
  readonly name: string;
  readonly port: number;
  readonly metricsPath?: string;
  /** Where compose's Prometheus reaches it; defaults to the service name (a compose service). */
  readonly host?: string;
  /** Kubernetes: the namespace of the Service named `name`; the stack's namespace by default. */
  readonly namespace?: string;
  readonly scrapeInterval?: Duration;
  /**
   * What the service emits, as mixins with their config: `[http({ buckets: [...] }), pythonRuntime()]`. Its
   * dashboards, alerts, recording rules and the metrics its SLOs may read all follow from this list.
   */
  readonly mixins?: readonly MixinUse[];
  /** Service level objectives on any SLI of its mixins' metrics, with multi-window multi-burn-rate alerts. */
  readonly slos?: readonly SloSpec[];
  /**
   * Where this service's alerts go, by severity, ahead of `alerting.routes` (severities not listed here follow
   * `alerting.routes`). For a team that owns the service: `[{ severity: 'critical', receiver: 'payments-pager' }]`.
   */
  readonly routes?: readonly SeverityRoute[];
}

/** Label matchers of an SLI: label → regular expression the value must match whole (`{ code: '5..' }`). */
export type SliMatchers = Readonly<Record<string, string>>;

interface SliBase {
  /** A counter or histogram (its `_count`) of one of the service's mixins. */
  readonly metric: string;
  /** Which of the metric's events the SLO counts at all (every event when omitted). */
  readonly total?: SliMatchers;
  /** What one event is, for alert texts: `requests` (default `events`). */
  readonly events?: string;
  /** What makes an event bad, for alert texts: `failed (5xx)`. */
  readonly badEvents?: string;
}

/** Good/total events: bad events are those matching `bad`, or those not matching `good` (give one of them). */
export interface EventsSli extends SliBase {
  readonly bad?: SliMatchers;
  readonly good?: SliMatchers;
}

/** Events of a histogram at most `threshold` are good; `threshold` must be one of the service's buckets of it. */
export interface LatencySli extends SliBase {
  readonly threshold: number;
}

export type SliSpec = EventsSli | LatencySli;

export function isLatencySli(sli: SliSpec): sli is LatencySli {
  return (sli as LatencySli).threshold !== undefined;
}

/** A service level objective: `objective` percent of the SLI's events good over `period`. */
export interface SloSpec {
  /** The SLO's name in series and alerts (label `slo`): lowercase, such as "availability" or "checkout-latency". */
  readonly name: string;
  /** Which events count and which of them are good; mixins offer ready ones (`httpAvailability()`). */
  readonly sli: SliSpec;
  /** Target share of good events, in percent, strictly between 0 and 100: `99.9`. */
  readonly objective: number;
  /** The period the error budget is counted over, such as `30d` (at least the longest alert window, 3d). */
  readonly period: Duration;
  /**
   * Low-traffic guard: a burn-rate window pair needs at least this many events in its long window (100 by
   * default, see DEFAULT_SLO_MIN_REQUESTS), so one failure among six requests at night does not page — unless it is
   * an outage: at least 3 bad events in the long window and at least half of the short window bad (see
   * src/alerts/low-traffic.ts). 0 turns the guard off.
   */
  readonly minRequests?: number;
}

/**
 * Changes one generated alert without forking the generator: by name, optionally for one service (per-service
 * alerts) or one SLO (burn-rate alerts). When several overrides match, the more specific one wins.
 */
export interface AlertOverride {
  /** The alert's name, such as `ServiceErrorRatioHigh`, `TargetDown` or `ErrorBudgetBurnFast`. */
  readonly alert: string;
  /** Only this service's instance of a per-service or SLO alert. */
  readonly service?: string;
  /** Only this SLO's instance of a burn-rate alert. */
  readonly slo?: string;
  /** Drop the alert (and its generated tests). */
  readonly disabled?: boolean;
  readonly for?: Duration;
  readonly severity?: Severity;
  /** The value the alert compares against, in the alert's own unit (a ratio, seconds or bytes). */
  readonly threshold?: number;
  /** Extra labels on the alert, for routing or ownership: `{ team: 'payments' }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

interface ReceiverBase {
  readonly name: string;
  /** Whether resolved notifications are sent too. */
  readonly sendResolved?: boolean;
}
export interface PagerDutyReceiver extends ReceiverBase {
  readonly type: 'pagerduty';
  readonly routingKey: SecretRef;
}
export interface SlackReceiver extends ReceiverBase {
  readonly type: 'slack';
  readonly apiUrl: SecretRef;
  readonly channel: string;
}
export interface EmailReceiver extends ReceiverBase {
  readonly type: 'email';
  readonly to: string;
  readonly from: string;
  /** `host:port` of the SMTP server. */
  readonly smarthost: string;
  readonly authUsername?: string;
  readonly authPassword?: SecretRef;
  readonly requireTls?: boolean;
}
export interface WebhookReceiver extends ReceiverBase {
  readonly type: 'webhook';
  readonly url: SecretRef;
}
export type ReceiverSpec = PagerDutyReceiver | SlackReceiver | EmailReceiver | WebhookReceiver;
export type ReceiverType = ReceiverSpec['type'];

/** Alerts of `severity` go to `receiver` (a receiver's name, or `null` to drop them). */
export interface SeverityRoute {
  readonly severity: Severity;
  readonly receiver: string;
}

export interface AlertingSpec {
  readonly receivers: readonly ReceiverSpec[];
  readonly routes: readonly SeverityRoute[];
  /** Receiver for anything no route matches; `null` (the built-in receiver that drops) by default. */
  readonly defaultReceiver: string;
  /** Receiver for the always-firing Watchdog (a dead man's switch); `null` by default. */
  readonly watchdogReceiver: string;
  readonly groupBy: readonly string[];
  readonly groupWait: Duration;
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
  /** Where runbooks named by a relative path live: `<runbookBaseUrl>/<runbook>`; obskit's pages are in docs/runbooks. */
  readonly runbookBaseUrl: string;
  /** Changes to individual generated alerts. */
  readonly overrides: readonly AlertOverride[];
}

export interface RetentionSpec {
  /** How long Prometheus keeps samples. */
  readonly metrics: Duration;
  /** Prometheus's size cap, in its units: `512MB`, `40GB`. */
  readonly metricsSize: string;
  readonly logs: Duration;
  readonly traces: Duration;
}

export interface StorageSpec {
  /** Kubernetes StorageClass for every PersistentVolumeClaim; the cluster default when omitted. */
  readonly storageClass?: string;
  readonly sizes: Readonly<Record<StatefulComponent, Quantity>>;
}

export interface ComponentResources {
  readonly requests: { readonly cpu: Quantity; readonly memory: Quantity };
  readonly limits: { readonly cpu?: Quantity; readonly memory: Quantity };
}

/** Host ports compose publishes; only what a person or a local app needs. */
export interface ComposePorts {
  readonly grafana: number;
  readonly prometheus: number;
  readonly alertmanager: number;
  readonly otlpGrpc: number;
  readonly otlpHttp: number;
}

export interface StackSpec {
  /** Kubernetes namespace everything is deployed into. */
  readonly namespace: string;
  /** `deployment.environment.name` stamped on all telemetry passing through the collector. */
  readonly environment: string;
  readonly services: readonly ServiceSpec[];
  /** Stack-level mixins (stack health, logs and traces, …); `DEFAULT_STACK_MIXINS` when omitted. */
  readonly mixins: readonly MixinUse[];
  readonly scrapeInterval: Duration;
  readonly evaluationInterval: Duration;
  readonly retention: RetentionSpec;
  readonly storage: StorageSpec;
  readonly resources: Readonly<Record<Component, ComponentResources>>;
  readonly alerting: AlertingSpec;
  readonly compose: { readonly ports: ComposePorts };
  readonly grafana: {
    /**
     * Who may browse dashboards read-only without logging in: `'compose'` (default) opens the local stack only,
     * whose ports are bound to 127.0.0.1; `'always'` also opens Kubernetes (behind your ingress); `'never'`.
     */
    readonly anonymousViewer: 'compose' | 'always' | 'never';
    /** Kubernetes Secret with keys `admin-user` and `admin-password`; you create it. */
    readonly adminSecretName: string;
  };
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What you write: the namespace and services, and any default you want to change. */
export type StackSpecInput = DeepPartial<Omit<StackSpec, 'services' | 'mixins'>> & {
  readonly services: readonly ServiceSpec[];
  readonly mixins?: readonly MixinUse[];
};
