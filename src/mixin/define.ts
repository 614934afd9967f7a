import type { AlertTemplate } from '../alerts/define';
import type { RecordingRule, RuleGroup } from '../alerts/model';
import type { DashboardDefinition, PanelBuilderLike } from '../dashboards/layout';
import type { RecordedSeries } from '../promql/expr';
import type { AnyMetricDef } from '../sdk/catalog/define';
export { withBucketsOf as withBuckets } from '../sdk/catalog/define';
import type { Duration, ServiceSpec, StackSpec, Target } from '../spec/types';
import type { ConfigInput, ConfigOf, Params } from './params';

/**
 * A mixin: everything obskit generates for one observed system or concern, in the tradition of Prometheus
 * monitoring mixins — its metrics (the catalog), recording rules, alerts (each with firing and silent examples and
 * a runbook), dashboards, and the config parameters all of these read, with defaults and ranges. Built-in content
 * (src/mixins/<name>/) and a user's own mixin go through exactly the same path.
 *
 * `scope: 'service'` mixins are listed per service (`services[i].mixins`) and describe what that service emits;
 * `scope: 'stack'` mixins are listed once (`mixins`) and watch the stack or every service.
 */
export type MixinScope = 'service' | 'stack';

/** What a mixin's rules and alerts see. For a service mixin, `service` is the service it is listed on. */
export interface AlertContext<C> {
  readonly spec: StackSpec;
  readonly config: C;
  /** Service mixins: the service. Stack mixins: undefined. */
  readonly service?: ServiceSpec;
}

/** What a mixin's shared alerts see: the spec and every instance of the mixin (a service mixin's: one per service). */
export interface SharedAlertContext<C> {
  readonly spec: StackSpec;
  readonly instances: ReadonlyArray<{ readonly service?: ServiceSpec; readonly config: C }>;
}

/** Alert groups written once for many alert templates, and which templates they stand for. */
export interface SharedAlerts {
  readonly groups: readonly RuleGroup[];
  /** The templates these groups stand for: left out of the per-instance groups. */
  readonly covers: (template: AlertTemplate) => boolean;
}

/**
 * What a mixin's dashboards see: the services they serve (those listing the mixin; every service for a stack
 * mixin), the default one (first), and the config of that first service (thresholds drawn on panels).
 */
export interface DashboardContext<C> {
  readonly spec: StackSpec;
  readonly config: C;
  readonly services: readonly ServiceSpec[];
  readonly defaultService: string;
}

/**
 * What a stack mixin reads from the cluster, by source; the Kubernetes target deploys and scrapes exactly that
 * (src/config/kubernetes-scrape.ts, src/charts/kube-state-metrics.ts). Each list holds metric definitions the mixin
 * also lists in `metrics`.
 */
export interface KubernetesSources {
  /** kube-state-metrics series: it is deployed exposing only these (`--metric-allowlist`). */
  readonly kubeStateMetrics?: readonly AnyMetricDef[];
  /** The kubelet's cAdvisor series (`/metrics/cadvisor`): Prometheus keeps only these. */
  readonly cadvisor?: readonly AnyMetricDef[];
  /** The kubelet's own series (`/metrics`): Prometheus keeps only these. */
  readonly kubelet?: readonly AnyMetricDef[];
}

export interface MixinDefinition<P extends Params = Params> {
  /** Names its rule file (`dist/rules/<name>.yaml`) and groups (`obskit.<name>…`): lowercase, digits and `-`. */
  readonly name: string;
  /**
   * The version of its metric contract (semver, `1.2.0`), published with its catalog (`dist/catalog/<name>.json`):
   * raise the major version when a metric or label is removed or renamed, the minor when one is added.
   */
  readonly version: string;
  readonly scope: MixinScope;
  /**
   * The targets whose stack has its rules and dashboards (both when omitted). A Kubernetes-only mixin's files go to
   * `dist/kubernetes/` instead of the folders compose mounts.
   */
  readonly targets?: readonly Target[];
  readonly description: string;
  readonly params: P;
  /** Stack mixins: what they read from the cluster, which the Kubernetes target deploys and scrapes for them. */
  readonly kubernetesSources?: KubernetesSources;
  /** Checks across parameters (a threshold inside the buckets), as [parameter, problem]; ranges are on the params. */
  readonly check?: (config: ConfigOf<P>) => ReadonlyArray<readonly [string, string]>;
  /**
   * Example values of its metrics' labels, by label name (`{ region: ['eu-west', 'us-east'] }`): the simulator emits
   * these (a small, bounded set). Labels without examples get the values its queries select, then generated ones.
   */
  readonly labelExamples?: Readonly<Record<string, readonly string[]>>;
  /** The metrics it defines, with the config's buckets where the mixin makes them configurable. */
  readonly metrics: (config: ConfigOf<P>) => readonly AnyMetricDef[];
  /** Series its recording rules write, so dashboards and other rules may query them (typed). */
  readonly recorded?: readonly RecordedSeries[];
  /** Recording rules, written once (group `obskit.<name>.recording`) when any service or the stack lists it. */
  readonly recordingRules?: () => readonly RecordingRule[];
  /** The recording group's evaluation interval (the global `evaluationInterval` when omitted). */
  readonly recordingInterval?: Duration;
  /** Alerts, before overrides; a service mixin's are generated for each service listing it. */
  readonly alerts?: (ctx: AlertContext<ConfigOf<P>>) => readonly AlertTemplate[];
  /**
   * Alerts written once for every service (per-service values as recorded data) instead of once per service: the
   * groups, and which of the templates `alerts` gives they stand for (those are left out of the per-instance groups).
   * `alerts` still gives every template: what overrides address and validation checks.
   */
  readonly sharedAlerts?: (ctx: SharedAlertContext<ConfigOf<P>>) => SharedAlerts;
  readonly dashboards?: (ctx: DashboardContext<ConfigOf<P>>) => readonly DashboardDefinition[];
  /**
   * Panels the fleet overview shows for this mixin: one value per service (`… by (service_name)`) of every service
   * listing it, side by side with every other mixin's (src/dashboards/fleet.ts).
   */
  readonly fleetPanels?: (ctx: DashboardContext<ConfigOf<P>>) => readonly PanelBuilderLike[];
}

/** A mixin as a spec lists it: the definition and the config given (defaults fill in the rest). */
export interface MixinUse {
  readonly kind: 'obskit.mixin';
  readonly mixin: MixinDefinition;
  readonly config: Readonly<Record<string, unknown>>;
}

/** `http({ buckets: […] })`: call it with any subset of the parameters; the definition is on `.definition`. */
export interface MixinFactory<P extends Params> {
  (config?: ConfigInput<P>): MixinUse;
  readonly definition: MixinDefinition<P>;
}

const NAME = /^[a-z][a-z0-9-]*$/;
/** Semantic Versioning 2.0.0's own pattern (semver.org, "Is there a suggested regular expression"). */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Defines a mixin (see MixinDefinition). Returns the function a spec calls to list it. */
export function defineMixin<const P extends Params>(definition: MixinDefinition<P>): MixinFactory<P> {
  if (!NAME.test(definition.name)) throw new Error(`mixin name ${JSON.stringify(definition.name)} must match ${NAME}`);
  if (typeof definition.version !== 'string' || !SEMVER.test(definition.version)) {
    throw new Error(`mixin ${definition.name}: version must be a semantic version such as "1.0.0", got ${JSON.stringify(definition.version)}`);
  }
  const factory = (config: ConfigInput<P> = {}): MixinUse =>
    Object.freeze({ kind: 'obskit.mixin', mixin: definition as unknown as MixinDefinition, config: { ...config } });
  return Object.assign(factory, { definition });
}

export function isMixinUse(value: unknown): value is MixinUse {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'obskit.mixin';
}

/** The config a use resolves to: its values over the defaults. (Checked by `configProblems` before use.) */
export function configOf<P extends Params>(use: MixinUse): ConfigOf<P> {
  const defaults = Object.fromEntries(Object.entries(use.mixin.params).map(([k, p]) => [k, p.default]));
  return { ...defaults, ...use.config } as ConfigOf<P>;
}

/** Problems of a use's config, as [parameter, message]: unknown parameters and values out of range. */
export function configProblems(use: MixinUse): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(use.config)) {
    const p = use.mixin.params[key];
    if (!p) {
      const known = Object.keys(use.mixin.params);
      problems.push([key, `the ${use.mixin.name} mixin has no parameter "${key}"${known.length ? `; it takes ${known.join(', ')}` : ''}`]);
      continue;
    }
    if (value === undefined) continue;
    const problem = p.check(value);
    if (problem) problems.push([key, problem]);
  }
  if (problems.length === 0 && use.mixin.check) problems.push(...use.mixin.check(configOf(use) as never).map(([k, m]) => [k, m] as [string, string]));
  return problems;
}
