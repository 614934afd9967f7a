/**
 * Validation of what a spec's mixins bring: their config (ranges), their metrics (one name, one type and label set),
 * their alerts (a runbook each), the queries of their rules and dashboards (only metrics and labels some mixin
 * defines), SLIs (a metric of the service's mixins, its labels, a bucket for a latency threshold) and overrides
 * (an alert the spec generates). Each problem names its path in the spec.
 */
import { REPLACED_ALERTS } from '../alerts/slo-policy';
import { allAlertTemplates, buildRuleFiles, checkRuleFiles, instanceTemplates, ruleKnownSeries } from '../alerts';
import { buildDashboard } from '../dashboards/layout';
import { dashboardProblems, mixinDashboards } from '../dashboards';
import { allInstances, catalogProblems, mixinsInUse, serviceMetrics, type MixinInstance } from '../mixin/compose';
import { configProblems } from '../mixin/define';
import { contractProblems } from '../contract/problems';
import { formatProblems } from '../promql/check';
import { isValidRegex, matchingValue, nonMatchingValue } from '../promql/regex-example';
import { MetricDefinitionError, type AnyMetricDef } from '../sdk/catalog/define';
import { isLatencySli, type ServiceSpec, type SliMatchers, type SliSpec, type StackSpec } from './types';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels an override may not set: the generator owns them (severity has its own field). */
const GENERATED_LABELS = ['alertname', 'severity', 'service_name', 'slo'];

/** Scope and config of every listed mixin, then (when those are sound) catalog, runbooks and queries. */
export function mixinProblems(spec: StackSpec): Problem[] {
  const problems: Problem[] = [];
  for (const i of allInstances(spec)) {
    const atStack = i.service === undefined;
    if (atStack && i.mixin.scope === 'service') {
      problems.push({ path: i.path, message: `${i.mixin.name} describes what a service emits; list it in a service's mixins` });
    } else if (!atStack && i.mixin.scope === 'stack') {
      problems.push({ path: i.path, message: `${i.mixin.name} is a stack mixin; list it once in the top-level mixins` });
    }
    const use = (i.service?.mixins ?? spec.mixins).find((u) => u.mixin === i.mixin);
    if (use) for (const [key, message] of configProblems(use)) problems.push({ path: `${i.path}.${key}`, message });
  }
  if (problems.length > 0) return problems;
  problems.push(...catalogProblems(spec));
  if (problems.length > 0) return problems;
  problems.push(...contractProblems(spec));
  if (problems.length > 0) return problems;
  return contentProblems(spec);
}

/** Runbooks, rule queries and dashboard queries, each attributed to the mixin that brings it. */
function contentProblems(spec: StackSpec): Problem[] {
  const problems: Problem[] = [];
  const guard = (i: MixinInstance, what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      problems.push({ path: i.path, message: `the ${i.mixin.name} mixin failed to build its ${what}: ${(error as Error).message}` });
    }
  };
  for (const i of allInstances(spec)) {
    guard(i, 'alerts', () => {
      for (const t of instanceTemplates(spec, i)) {
        if (typeof t.runbook !== 'string' || t.runbook.trim() === '') {
          problems.push({ path: i.path, message: `the ${i.mixin.name} mixin's alert ${t.alert} has no runbook; give it runbook: a URL or a page under alerting.runbookBaseUrl` });
        }
      }
    });
  }
  if (problems.length > 0) return problems;
  const first = new Map(mixinsInUse(spec).map((i) => [i.mixin.name, i]));
  let files: ReturnType<typeof buildRuleFiles> = [];
  try {
    files = buildRuleFiles(spec);
  } catch (error) {
    return [{ path: '(mixins)', message: `rules failed to build: ${(error as Error).message}` }];
  }
  const known = ruleKnownSeries(spec, files);
  for (const file of files) {
    const owner = first.get(file.file.replace(/\.yaml$/, ''));
    const found = checkRuleFiles([file], known);
    if (found.length > 0) {
      problems.push({ path: owner?.path ?? `(${file.file})`, message: `${owner ? `the ${owner.mixin.name} mixin's rules` : file.file} query what no mixin of the spec defines (a defect in the mixin, or a mixin it needs is not listed):\n${formatProblems(found)}` });
    }
  }
  for (const [name, i] of first) {
    guard(i, 'dashboards', () => {
      const found = dashboardProblems(mixinDashboards(spec, i.mixin).map(buildDashboard), known);
      if (found.length > 0) problems.push({ path: i.path, message: `the ${name} mixin's dashboards fail their checks (a defect in the mixin, or a mixin it needs is not listed):\n${found.join('\n')}` });
    });
  }
  return problems;
}

/** An SLI must read counters or histograms the service's mixins define, by their labels; latency on a bucket. */
export function sliProblems(spec: StackSpec, service: ServiceSpec, sli: SliSpec, path: string): Problem[] {
  const problems: Problem[] = [];
  const add = (p: string, message: string) => problems.push({ path: p, message });
  let metrics: ReturnType<typeof serviceMetrics>;
  try {
    metrics = serviceMetrics(spec, service);
  } catch (error) {
    // A mixin's config that makes a bad metric (buckets out of order) is reported at that config's path.
    if (error instanceof MetricDefinitionError) return problems;
    throw error;
  }
  const eventMetric = (name: string, at: string): AnyMetricDef | undefined => {
    const def = metrics.get(name);
    if (!def) {
      const mixins = (service.mixins ?? []).map((u) => u.mixin.name);
      const counting = [...metrics.keys()].filter((n) => metrics.get(n)!.type !== 'gauge');
      add(
        at,
        `"${name}" is not a metric of the service's mixins (${mixins.length ? mixins.join(', ') : 'it lists none'}); ` +
          `list the mixin that defines it in the service's mixins${counting.length ? `, or use one of ${counting.join(', ')}` : ''}`,
      );
      return undefined;
    }
    if (def.type === 'gauge') add(at, `"${def.name}" is a gauge; an SLI counts events, from a counter or a histogram`);
    return def;
  };
  const checkMatchers = (def: AnyMetricDef, m: SliMatchers | undefined, at: string, negate: boolean) => {
    for (const [label, regex] of Object.entries(m ?? {})) {
      const where = `${at}.${label}`;
      if (!def.labelNames.includes(label)) {
        add(where, `"${def.name}" has no label "${label}"; its labels are ${def.labelNames.join(', ') || '(none)'}`);
      } else if (!isValidRegex(regex)) {
        add(where, `"${regex}" is not a valid regular expression`);
      } else if (matchingValue(regex) === undefined || (negate && nonMatchingValue(regex) === undefined)) {
        add(where, `"${regex}" is too clever for obskit's generated SLO tests (no example value found); write it as literals, "." and classes`);
      }
    }
  };
  const def = eventMetric(sli.metric, `${path}.metric`);
  if (!def) return problems;
  checkMatchers(def, sli.total, `${path}.total`, false);
  if (isLatencySli(sli)) {
    if (def.type !== 'histogram') {
      add(`${path}.threshold`, `a latency SLI needs a histogram; "${def.name}" is a ${def.type}`);
    } else if (!(def.buckets ?? []).includes(sli.threshold)) {
      add(
        `${path}.threshold`,
        `${sli.threshold} is not a bucket boundary of ${def.name} as this service emits it, so no series counts the events under it; ` +
          `use one of ${(def.buckets ?? []).join(', ')}, or add it to the buckets of the mixin that defines it`,
      );
    }
  } else if (sli.badMetric) {
    const bad = eventMetric(sli.badMetric.metric, `${path}.badMetric.metric`);
    if (bad === def) add(`${path}.badMetric.metric`, `"${def.name}" is the SLI's metric itself; for bad events of the same metric give bad matchers instead`);
    else if (bad) checkMatchers(bad, sli.badMetric.matchers, `${path}.badMetric.matchers`, false);
  } else {
    checkMatchers(def, sli.bad, `${path}.bad`, true);
    checkMatchers(def, sli.good, `${path}.good`, true);
  }
  return problems;
}

/** Each override must address an alert the spec generates, in a way that alert allows. */
export function overrideProblems(spec: StackSpec): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const templates = allAlertTemplates(spec).map((t) => t.template);
  const names = [...new Set(templates.map((t) => t.alert))].sort();
  const services = new Set(spec.services.map((s) => s.name));
  const seen = new Map<string, number>();
  spec.alerting.overrides.forEach((override, i) => {
    const at = `alerting.overrides[${i}]`;
    const ofAlert = templates.filter((t) => t.alert === override.alert);
    if (ofAlert.length === 0) {
      const replacement = REPLACED_ALERTS[override.alert];
      add(
        `${at}.alert`,
        replacement
          ? `no alert named "${override.alert}" any more: ${replacement} replaced it (one burn-rate alert per tier, page and ticket, covering both window pairs); override ${replacement} instead`
          : `no alert named "${override.alert}"; this spec's mixins and SLOs generate ${names.join(', ')}`,
      );
      return;
    }
    const key = `${override.alert}/${override.service ?? ''}/${override.slo ?? ''}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) add(at, `overrides the same alert as alerting.overrides[${earlier}]; merge them`);
    else seen.set(key, i);
    let matching = ofAlert;
    if (override.service !== undefined) {
      if (ofAlert.every((t) => t.service === undefined)) add(`${at}.service`, `${override.alert} watches the stack, not a service; remove service`);
      else if (!services.has(override.service)) add(`${at}.service`, `no service named "${override.service}" in services`);
      else {
        matching = ofAlert.filter((t) => t.service === override.service);
        if (matching.length === 0) add(`${at}.service`, `service "${override.service}" has no ${override.alert}: none of its mixins or SLOs generates it`);
      }
    }
    if (override.slo !== undefined) {
      if (ofAlert.every((t) => t.slo === undefined)) add(`${at}.slo`, `${override.alert} is not a burn-rate alert; slo applies to ErrorBudgetBurn* alerts only`);
      else if (!matching.some((t) => t.slo === override.slo)) {
        add(`${at}.slo`, `no SLO named "${override.slo}"${override.service !== undefined ? ` on service "${override.service}"` : ''}`);
      }
    }
    if (override.threshold !== undefined && matching.length > 0) {
      const withThreshold = matching.filter((t) => t.threshold !== undefined);
      if (withThreshold.length === 0) {
        add(
          `${at}.threshold`,
          matching.some((t) => t.slo !== undefined)
            ? `${override.alert} derives its threshold from the SLO's objective and period; change those instead`
            : `${override.alert} has no threshold to change`,
        );
      } else {
        const problem = withThreshold.map((t) => t.thresholdCheck?.(override.threshold!)).find((p) => p !== undefined);
        if (problem) add(`${at}.threshold`, `${override.alert}: ${problem}`);
      }
    }
    for (const label of Object.keys(override.labels ?? {})) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) add(`${at}.labels.${label}`, 'is not a valid Prometheus label name');
      else if (GENERATED_LABELS.includes(label)) {
        add(`${at}.labels.${label}`, `is set by the generator${label === 'severity' ? '; use the severity field' : ''}`);
      }
    }
  });
  return problems;
}
