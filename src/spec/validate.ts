import type { z } from 'zod';
import { Rational, errorBudget } from '../promql/decimal';
import { longestBurnWindow, steepestPolicy } from '../alerts/slo-policy';
import { defaults } from './defaults';
import type * as MixinChecks from './validate-mixins';
import type * as BuiltinMixins from '../mixins';

/**
 * Mixin validation builds rules and dashboards, whose modules import the spec's types and helpers: loaded when a
 * spec is resolved rather than when this module is, so importing `src/spec` never forms a cycle with them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mixinChecks = (): typeof MixinChecks => require('./validate-mixins') as typeof MixinChecks;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtinMixins = (): typeof BuiltinMixins => require('../mixins') as typeof BuiltinMixins;
import { parsePrometheusDuration } from './duration';
import { deepMerge } from './merge';
import { stackSchema } from './schema';
import { ALL_COMPONENTS, COMPONENTS, HA_COMPONENTS, routeReceivers, STATEFUL_COMPONENTS, TARGETS, type StackSpec, type StackSpecInput, type Target } from './types';

export interface SpecProblem {
  /** Where in the spec, as you would write it: `services[1].port`. */
  readonly path: string;
  readonly message: string;
}

/** A spec that cannot be rendered; carries every problem found, not just the first. */
export class SpecError extends Error {
  constructor(readonly problems: readonly SpecProblem[]) {
    super(
      `invalid stack spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'SpecError';
  }
}

/** Names compose and Kubernetes give the stack's own parts; an observed service may not take one. */
export const RESERVED_SERVICE_NAMES: readonly string[] = [...COMPONENTS, ...HA_COMPONENTS, 'otel-collector', 'blackbox-exporter', 'grafana-init'];

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(spec)';
}

/**
 * The issues of the one union branch the input came nearest to (strictly fewest issues, none about the value's
 * own type), so `{ metric, badMetric: { metric } }` reports the missing `badMetric.inTotal` rather than "must be an
 * SLI". Undefined when no branch stands out; the union's own message is then the clearest.
 */
function nearestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] | undefined {
  const sorted = [...branches].sort((a, b) => a.length - b.length);
  const [first, second] = sorted;
  if (!first || first.length === 0 || (second && second.length === first.length)) return undefined;
  return first.every((i) => i.path.length > 0) ? first : undefined;
}

function fromZodIssue(issue: z.core.$ZodIssue): SpecProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: 'unknown field; check its spelling against the StackSpec type in src/spec/types.ts',
    }));
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return [{ path: formatPath(issue.path), message: issue.message }];
  }
  if (issue.code === 'invalid_union') {
    const nearest = nearestBranch(issue.errors);
    if (nearest) return nearest.flatMap((inner) => fromZodIssue({ ...inner, path: [...issue.path, ...inner.path] }));
  }
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return [{ path: formatPath(issue.path), message: missing ? 'is required' : issue.message }];
}

const ms = (d: string) => parsePrometheusDuration(d) ?? 0;
const DAY_MS = 86_400_000;

const QUANTITY_FACTOR: Record<string, number> = {
  m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
function quantityValue(q: string): number {
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(q);
  return match ? Number(match[1]) * (QUANTITY_FACTOR[match[2] ?? ''] ?? NaN) : NaN;
}

/** What is wrong with a route's receiver or receivers: unknown names, a name twice, "null" among others. */
function receiverListProblems(receiver: string | readonly string[], known: (name: string) => boolean): string[] {
  const names = routeReceivers({ severity: 'info', receiver });
  const problems = names
    .filter((name) => !known(name))
    .map((name) => `no receiver named "${name}"; define it in alerting.receivers, or use "null" to drop these alerts`);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`names "${repeated[0]}" twice; each receiver would get every alert twice`);
  if (names.length > 1 && names.includes('null')) problems.push('"null" drops alerts; it cannot be one of several receivers');
  return problems;
}

/** What the `ha` fields must agree on (checked whatever the profile, so a spec switched to `ha` later is sound). */
function haProblems(spec: StackSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const receive = spec.ha.thanosReceive;
  if (receive.replicationFactor > receive.replicas) {
    problems.push({
      path: 'ha.thanosReceive.replicationFactor',
      message: `is ${receive.replicationFactor}, more than the ${receive.replicas} Receive replicas that could hold the copies; raise ha.thanosReceive.replicas or lower it`,
    });
  }
  const loki = spec.ha.loki;
  if (loki.replicationFactor > loki.writeReplicas) {
    problems.push({
      path: 'ha.loki.replicationFactor',
      message: `is ${loki.replicationFactor}, more than the ${loki.writeReplicas} Loki write replicas that could hold the copies; raise ha.loki.writeReplicas or lower it`,
    });
  }
  const gateway = spec.ha.collectorGateway;
  if (gateway.minReplicas > gateway.maxReplicas) {
    problems.push({
      path: 'ha.collectorGateway.maxReplicas',
      message: `is ${gateway.maxReplicas}, fewer than ha.collectorGateway.minReplicas (${gateway.minReplicas}); the autoscaler needs max at least min`,
    });
  }
  const tempo = spec.ha.tempo;
  if (tempo.liveStoreReplicas % tempo.blockBuilderReplicas !== 0) {
    problems.push({
      path: 'ha.tempo.blockBuilderReplicas',
      message: `is ${tempo.blockBuilderReplicas}, which does not divide the ${tempo.liveStoreReplicas} partitions (one per live-store) evenly; each block-builder consumes the same number of partitions, so pick a divisor of ha.tempo.liveStoreReplicas`,
    });
  }
  if (spec.ha.objectStorage && spec.ha.externalStore) {
    problems.push({
      path: 'ha.objectStorage',
      message: 'is for the Thanos obskit deploys (and Loki\'s simple scalable mode and Tempo\'s microservices beside it), and ha.externalStore replaces that Thanos with your own store: give one of them',
    });
  }
  if (spec.profile === 'ha' && spec.kubernetes.mode === 'operator') {
    problems.push({
      path: 'profile',
      message: '"ha" is not available with kubernetes.mode "operator" yet (the Operator has its own replicas and Thanos fields); use kubernetes.mode "plain"',
    });
  }
  return problems;
}

/** Checks that need more than one field: uniqueness, references, orderings. Runs on a schema-valid spec. */
function crossFieldProblems(spec: StackSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  problems.push(...haProblems(spec));

  const firstByName = new Map<string, number>();
  const firstByAddress = new Map<string, number>();
  spec.services.forEach((service, i) => {
    const earlier = firstByName.get(service.name);
    if (earlier !== undefined) {
      add(`services[${i}].name`, `"${service.name}" is already used by services[${earlier}]; service names must be unique`);
    } else firstByName.set(service.name, i);
    if (RESERVED_SERVICE_NAMES.includes(service.name)) {
      add(`services[${i}].name`, `"${service.name}" is the name of a stack component; choose another name`);
    }
    if (spec.kubernetes.mode === 'operator' && (service.healthChecks?.length ?? 0) > 0) {
      add(
        `services[${i}].healthChecks`,
        'cannot be used with kubernetes.mode "operator" yet: the Operator probes through Probe resources, which obskit ' +
          'does not generate; use kubernetes.mode "plain" or leave the health checks out',
      );
    }
    const probed = new Map<string, number>();
    service.healthChecks?.forEach((check, j) => {
      const where = `services[${i}].healthChecks[${j}]`;
      const checkPort = check.port ?? service.port;
      if (checkPort === undefined) {
        add(`${where}.port`, 'is required: the service has no port of its own to probe (a push-only service); name the port its health endpoint listens on');
        return;
      }
      const key = `${checkPort}${check.path}`;
      const same = probed.get(key);
      if (same !== undefined) add(where, `probes ${key} like healthChecks[${same}]; list each endpoint once`);
      else probed.set(key, j);
    });
    if (service.ingest === 'otlp') {
      if (service.simulated) {
        add(`services[${i}].simulated`, 'applies to scraped services only: the simulator serves /metrics for Prometheus to scrape, and a service with ingest "otlp" has no scrape job');
      }
      for (const field of ['port', 'metricsPath', 'scrapeInterval', 'scrapeLimits'] as const) {
        if (service[field] !== undefined) {
          add(`services[${i}].${field}`, 'applies to scraped services only; a service with ingest "otlp" pushes its metrics and has no scrape job');
        }
      }
      return;
    }
    if (service.staleAfter !== undefined) {
      add(`services[${i}].staleAfter`, 'applies to push-only services (ingest "otlp") only; a scraped service is down when its scrapes fail');
    }
    if (service.port === undefined) {
      add(`services[${i}].port`, 'is required for a scraped service (the port Prometheus scrapes); set ingest: "otlp" for a service that pushes OTLP instead');
      return;
    }
    const address = `${service.host ?? service.name}:${service.port}`;
    const clash = firstByAddress.get(address);
    if (clash !== undefined) {
      add(`services[${i}].port`, `${address} is already scraped for services[${clash}]; give each service its own host:port`);
    } else firstByAddress.set(address, i);
  });

  const published = new Map<number, string>();
  for (const [name, port] of Object.entries(spec.compose.ports)) {
    const owner = published.get(port);
    if (owner) add(`compose.ports.${name}`, `${port} is already published for ${owner}; each host port can be published once`);
    else published.set(port, name);
  }

  const { alerting } = spec;
  const receiverNames = new Map<string, number>();
  alerting.receivers.forEach((receiver, i) => {
    const earlier = receiverNames.get(receiver.name);
    if (earlier !== undefined) {
      add(`alerting.receivers[${i}].name`, `"${receiver.name}" is already used by alerting.receivers[${earlier}]`);
    } else receiverNames.set(receiver.name, i);
    if (receiver.type === 'email' && (receiver.authUsername === undefined) !== (receiver.authPassword === undefined)) {
      add(`alerting.receivers[${i}]`, 'authUsername and authPassword go together: give both or neither');
    }
  });
  const known = (name: string) => name === 'null' || receiverNames.has(name);
  const unknownReceiver = (name: string) =>
    `no receiver named "${name}"; define it in alerting.receivers, or use "null" to drop these alerts`;
  const routed = new Map<string, number>();
  alerting.routes.forEach((route, i) => {
    for (const problem of receiverListProblems(route.receiver, known)) add(`alerting.routes[${i}].receiver`, problem);
    const earlier = routed.get(route.severity);
    if (earlier !== undefined) {
      add(`alerting.routes[${i}].severity`, `"${route.severity}" is already routed by alerting.routes[${earlier}]`);
    } else routed.set(route.severity, i);
  });
  if (!known(alerting.defaultReceiver)) add('alerting.defaultReceiver', unknownReceiver(alerting.defaultReceiver));
  if (!known(alerting.watchdogReceiver)) add('alerting.watchdogReceiver', unknownReceiver(alerting.watchdogReceiver));
  if (ms(alerting.groupInterval) < ms(alerting.groupWait)) {
    add('alerting.groupInterval', `must be at least groupWait (${alerting.groupWait}), got "${alerting.groupInterval}"`);
  }
  if (ms(alerting.repeatInterval) < ms(alerting.groupInterval)) {
    add('alerting.repeatInterval', `must be at least groupInterval (${alerting.groupInterval}), got "${alerting.repeatInterval}"`);
  }

  if (ms(spec.retention.metrics) < 2 * 3_600_000) {
    add('retention.metrics', `must be at least 2h (one Prometheus TSDB block), got "${spec.retention.metrics}"`);
  }
  spec.intake.promoteResourceAttributes.forEach((key, i) => {
    const at = `intake.promoteResourceAttributes[${i}]`;
    if (spec.intake.maskAttributes.includes(key)) {
      add(at, `"${key}" is masked (intake.maskAttributes): every series would get the same "****" label; promote it or mask it`);
    }
    if (spec.intake.promoteResourceAttributes.indexOf(key) !== i) add(at, `"${key}" is listed twice`);
    if (['service.name', 'service.namespace', 'deployment.environment.name', 'service.instance.id'].includes(key)) {
      add(at, `"${key}" is already a label (service_name, service_namespace, deployment_environment_name, or instance); remove it`);
    }
  });
  spec.intake.dropAttributes.forEach((key, i) => {
    const at = `intake.dropAttributes[${i}]`;
    if (spec.intake.dropAttributes.indexOf(key) !== i) add(at, `"${key}" is listed twice`);
    if (spec.intake.maskAttributes.includes(key)) add(at, `"${key}" is also masked (intake.maskAttributes); a dropped attribute needs no mask: keep one`);
    if (spec.intake.promoteResourceAttributes.includes(key)) add(at, `"${key}" is also promoted (intake.promoteResourceAttributes), but dropped before it arrives; keep one`);
  });
  if (spec.sampling.tail && spec.sampling.tracesPercent < 100) {
    add('sampling.tail', `head sampling (tracesPercent ${spec.sampling.tracesPercent}) drops traces before the tail sampler sees them, so errors and slow traces would be lost too; use one: set tracesPercent to 100 or remove tail`);
  }
  if (spec.intake.loki.ingestionBurstSizeMb < spec.intake.loki.ingestionRateMb) {
    add('intake.loki.ingestionBurstSizeMb', `must be at least ingestionRateMb (${spec.intake.loki.ingestionRateMb}), got ${spec.intake.loki.ingestionBurstSizeMb}`);
  }
  // The agent's namespace is `<namespace>-node-agent` (src/config/otelcol-agent.ts), a DNS label of at most 63 characters.
  if ((spec.intake.logFiles.nodeAgent || spec.profile === 'ha') && spec.namespace.length + '-node-agent'.length > 63) {
    add(spec.intake.logFiles.nodeAgent ? 'intake.logFiles.nodeAgent' : 'profile', `needs a namespace of at most ${63 - '-node-agent'.length} characters (the agent runs in "<namespace>-node-agent"), got ${spec.namespace.length}`);
  }
  if (spec.intake.tempo.burstSizeBytes < spec.intake.tempo.rateLimitBytes) {
    add('intake.tempo.burstSizeBytes', `must be at least rateLimitBytes (${spec.intake.tempo.rateLimitBytes}), got ${spec.intake.tempo.burstSizeBytes}`);
  }
  if (ms(spec.retention.logs) % DAY_MS !== 0) {
    add('retention.logs', `must be a whole number of days (Loki deletes by 24h index period), got "${spec.retention.logs}"`);
  }
  if (ms(spec.retention.traces) < 3_600_000) {
    add('retention.traces', `must be at least 1h, got "${spec.retention.traces}"`);
  }
  if (ms(spec.evaluationInterval) > 5 * 60_000) {
    add('evaluationInterval', `must be at most 5m or alerts go stale between evaluations, got "${spec.evaluationInterval}"`);
  }
  spec.services.forEach((service, i) => {
    if (service.scrapeInterval && ms(service.scrapeInterval) > 5 * 60_000) {
      add(`services[${i}].scrapeInterval`, `must be at most 5m (Prometheus marks older samples stale), got "${service.scrapeInterval}"`);
    }
  });
  if (ms(spec.scrapeInterval) > 5 * 60_000) {
    add('scrapeInterval', `must be at most 5m (Prometheus marks older samples stale), got "${spec.scrapeInterval}"`);
  }

  problems.push(...alertingProblems(spec));

  for (const component of ALL_COMPONENTS) {
    const { requests, limits } = spec.resources[component];
    if (quantityValue(limits.memory) < quantityValue(requests.memory)) {
      add(`resources.${component}.limits.memory`, `must be at least requests.memory (${requests.memory}), got "${limits.memory}"`);
    }
    if ([...STATEFUL_COMPONENTS, 'thanos-receive', 'loki-write', 'loki-backend', 'tempo-live-store', 'tempo-block-builder', 'kafka'].includes(component) && quantityValue(requests.memory) !== quantityValue(limits.memory)) {
      add(
        `resources.${component}.requests.memory`,
        `must equal limits.memory (${limits.memory}) for a stateful part, so node memory pressure does not evict it ` +
          `before other pods (the kubelet evicts pods using more than they request first); got "${requests.memory}"`,
      );
    }
    if (limits.cpu !== undefined && quantityValue(limits.cpu) < quantityValue(requests.cpu)) {
      add(`resources.${component}.limits.cpu`, `must be at least requests.cpu (${requests.cpu}), got "${limits.cpu}"`);
    }
  }
  return problems;
}

/** SLOs, per-service routes, and everything the mixins bring: their config, catalog, rules, alerts and dashboards. */
function alertingProblems(spec: StackSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const receivers = new Set(['null', ...spec.alerting.receivers.map((r) => r.name)]);
  const longest = longestBurnWindow();

  const { mixinProblems, sliProblems, overrideProblems } = mixinChecks();
  const mixins = mixinProblems(spec);
  problems.push(...mixins);

  spec.services.forEach((service, i) => {
    const at = `services[${i}]`;
    const slos = new Map<string, number>();
    (service.slos ?? []).forEach((slo, j) => {
      const path = `${at}.slos[${j}]`;
      const earlier = slos.get(slo.name);
      if (earlier !== undefined) add(`${path}.name`, `"${slo.name}" is already used by ${at}.slos[${earlier}]; SLO names must be unique per service`);
      else slos.set(slo.name, j);
      problems.push(...sliProblems(spec, service, slo.sli, `${path}.sli`));
      if (ms(slo.period) < ms(longest)) {
        add(`${path}.period`, `must be at least ${longest}, the longest burn-rate alert window, got "${slo.period}"`);
        return;
      }
      if (ms(slo.period) > ms(spec.retention.metrics)) {
        add(
          `${path}.period`,
          `"${slo.period}" is longer than retention.metrics ("${spec.retention.metrics}"): the SLI and error budget over the ` +
            'period would be computed from the data Prometheus still has; raise retention.metrics or shorten the period',
        );
      }
      if (typeof slo.objective !== 'number' || !(slo.objective > 0 && slo.objective < 100)) return;
      const budget = errorBudget(slo.objective);
      const { policy, factor } = steepestPolicy(slo.period);
      if (!budget.times(factor).lt(1)) {
        const minimum = Rational.of(100).minus(Rational.of(100).div(factor));
        add(
          `${path}.objective`,
          `${slo.objective} leaves an error budget of ${budget}: ${policy.alert} (burn rate ×${factor} over ${policy.long}) would need more than ` +
            `100% errors and could never fire; use an objective above ${minimum.toString(2)}`,
        );
      }
    });

    const routed = new Map<string, number>();
    (service.routes ?? []).forEach((route, j) => {
      for (const problem of receiverListProblems(route.receiver, (name) => receivers.has(name))) add(`${at}.routes[${j}].receiver`, problem);
      const earlier = routed.get(route.severity);
      if (earlier !== undefined) add(`${at}.routes[${j}].severity`, `"${route.severity}" is already routed by ${at}.routes[${earlier}]`);
      else routed.set(route.severity, j);
    });
  });

  // Overrides are checked against the alerts the mixins generate, which needs mixins and SLOs that are sound.
  if (problems.length === 0) problems.push(...overrideProblems(spec));
  return problems;
}

/** Fills in defaults and validates; throws a SpecError naming every problem. Nothing is rendered from a bad spec. */
export function resolveSpec(input: StackSpecInput | unknown): StackSpec {
  return resolveVariant(input);
}

/** A spec and every target's variant, checked on their own (no target-specific checks). */
function resolveVariant(input: StackSpecInput | unknown): StackSpec {
  const merged = deepMerge({ ...defaults, mixins: builtinMixins().defaultStackMixins() }, input);
  const parsed = stackSchema.safeParse(merged, { reportInput: true });
  if (parsed.success) {
    const spec = parsed.data as unknown as StackSpec;
    const problems = crossFieldProblems(spec);
    if (problems.length === 0) problems.push(...environmentProblems(spec));
    if (problems.length > 0) throw new SpecError(problems);
    return spec;
  }
  const shapeProblems = parsed.error.issues.flatMap(fromZodIssue);
  throw new SpecError([...shapeProblems, ...bestEffortCrossFieldProblems(merged, shapeProblems)]);
}

/**
 * Cross-field problems of a spec whose shape is wrong somewhere, so one run reports everything:
 * only those in parts whose shape is right (a part that is itself wrong would give noise).
 */
function bestEffortCrossFieldProblems(merged: unknown, shapeProblems: readonly SpecProblem[]): SpecProblem[] {
  let problems: SpecProblem[];
  try {
    problems = crossFieldProblems(merged as StackSpec);
  } catch {
    return [];
  }
  const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
  return problems.filter((p) => !shapeProblems.some((shape) => overlaps(p.path, shape.path)));
}

/**
 * The spec one target renders: `environments[target]` laid over the spec (objects merge, lists replace). Valid
 * whenever the spec is: resolveSpec checks every target's variant.
 */
export function specForTarget(spec: StackSpec, target: Target): StackSpec {
  const override = spec.environments[target];
  const variant = override ? resolveVariant(deepMerge({ ...spec, environments: {} }, override)) : spec;
  // Compose is one machine: a replica pair there protects against nothing, so it always runs `single`.
  return target === 'compose' && variant.profile !== 'single' ? { ...variant, profile: 'single' } : variant;
}

/** Problems of each target's variant; paths inside the override are named there, others say which variant. */
function environmentProblems(spec: StackSpec): SpecProblem[] {
  return TARGETS.flatMap((target) => {
    const override = spec.environments[target];
    if (!override) return [];
    try {
      specForTarget(spec, target);
      return [];
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      return error.problems.map((p) => {
        const top = p.path.split(/[.[]/)[0]!;
        return top in override
          ? { path: `environments.${target}.${p.path}`, message: p.message }
          : { path: p.path, message: `${p.message} (with environments.${target} applied)` };
      });
    }
  });
}
