/**
 * Every Prometheus rule file obskit generates for a spec, as data: synth writes each to `dist/rules/<file>`, and
 * the Kubernetes chart mounts the same files into Prometheus (`rule_files: [<rules dir>/*.yaml]`).
 */
import { checkRuleGroups, formatProblems, type KnownSeries, type Problem } from '../promql/check';
import { knownSeries } from '../promql/known';
import { mixinsInUse, mixinsNotOn, serviceInstances, stackInstances, type MixinInstance } from '../mixin/compose';
import type { StackSpec, Target } from '../spec/types';
import { resolveAlerts, type AlertTemplate } from './define';
import { isAlertRule, type AlertRule, type RuleGroup } from './model';
import { GeneratedCheckError } from '../output/check-error';
import { exampleIntervals, renderRuleTestFile } from './render';
import { splitRuleFile } from './split';
import { sloAlertTemplates, sloModel, sloRules } from './slo';

export interface RuleFile {
  /** File name inside dist/rules (and key of the Kubernetes ConfigMap): `stack-health.yaml`. */
  readonly file: string;
  readonly groups: RuleGroup[];
}

/** The instances of one mixin: once for a stack mixin, once per service listing a service mixin. */
function instancesOf(spec: StackSpec, name: string): MixinInstance[] {
  return [...stackInstances(spec), ...serviceInstances(spec)].filter((i) => i.mixin.name === name);
}

/** An instance's alert templates, each knowing the service it belongs to. */
export function instanceTemplates(spec: StackSpec, i: MixinInstance): AlertTemplate[] {
  const templates = i.mixin.alerts?.({ spec, config: i.config as never, ...(i.service ? { service: i.service } : {}) }) ?? [];
  return templates.map((t) => (t.service === undefined && i.service ? { ...t, service: i.service.name } : t));
}

/**
 * An instance's alert groups: `obskit.<mixin>` (stack) or `obskit.<mixin>.<service>`, and a group of its own
 * (`….<group>`, with its interval) for alerts that name one.
 */
function alertGroups(spec: StackSpec, i: MixinInstance, shared?: (t: AlertTemplate) => boolean): RuleGroup[] {
  const base = `obskit.${i.mixin.name}${i.service ? `.${i.service.name}` : ''}`;
  const groups = new Map<string, { interval?: string; templates: AlertTemplate[] }>();
  for (const t of instanceTemplates(spec, i).filter((t) => !shared?.(t))) {
    const name = t.group ? `${base}.${t.group.name}` : base;
    const group = groups.get(name) ?? { ...(t.group?.interval ? { interval: t.group.interval } : {}), templates: [] };
    group.templates.push(t);
    groups.set(name, group);
  }
  return [...groups].map(([name, g]) => ({ name, ...(g.interval ? { interval: g.interval } : {}), rules: resolveAlerts(g.templates, spec) }));
}

/** The rule files of a spec: one per mixin in use (`<mixin>.yaml`), then `slo.yaml`; files without groups are left out. */
export function buildRuleFiles(spec: StackSpec): RuleFile[] {
  const files: RuleFile[] = mixinsInUse(spec).map(({ mixin }) => {
    const recording = mixin.recordingRules?.() ?? [];
    const instances = instancesOf(spec, mixin.name);
    const shared = mixin.sharedAlerts?.({ spec, instances: instances.map((i) => ({ ...(i.service ? { service: i.service } : {}), config: i.config as never })) });
    return {
      file: `${mixin.name}.yaml`,
      groups: [
        ...(recording.length > 0
          ? [{ name: `obskit.${mixin.name}.recording`, ...(mixin.recordingInterval ? { interval: mixin.recordingInterval } : {}), rules: recording }]
          : []),
        ...instances.flatMap((i) => alertGroups(spec, i, shared?.covers)),
        ...(shared?.groups ?? []),
      ],
    };
  });
  files.push({ file: 'slo.yaml', groups: sloRules(spec) });
  return files.filter((f) => f.groups.length > 0);
}

/** Every alert template of a spec, before overrides, with where it comes from (for validating overrides). */
export function allAlertTemplates(spec: StackSpec): Array<{ template: AlertTemplate; source: string }> {
  const fromMixins = [...stackInstances(spec), ...serviceInstances(spec)].flatMap((i) =>
    instanceTemplates(spec, i).map((template) => ({ template, source: `the ${i.mixin.name} mixin (${i.path})` })),
  );
  const fromSlos = spec.services.flatMap((service, i) =>
    (service.slos ?? []).flatMap((slo, j) =>
      sloAlertTemplates(sloModel(spec, service, slo)).map((template) => ({ template, source: `services[${i}].slos[${j}]` })),
    ),
  );
  return [...fromMixins, ...fromSlos];
}

/** The series rules may read: the catalogs, obskit's recorded series, and whatever these files record. */
export function ruleKnownSeries(spec: StackSpec, files: readonly RuleFile[]): KnownSeries {
  const known = knownSeries(spec);
  for (const f of files) known.addRecordingRules(f.groups, `dist/rules/${f.file}`);
  return known;
}

/** Every expression of every file checked with the PromQL checker (parses; names only known series and labels). */
export function checkRuleFiles(files: readonly RuleFile[], known: KnownSeries): Problem[] {
  return files.flatMap((f) => checkRuleGroups(f.groups, known, `dist/rules/${f.file}`));
}

/**
 * The rule files of a spec: each mixin's, and SLOs. Throws when an expression does not parse or names a series no
 * mixin defines or recording rule writes (validation reports this first, naming the mixin).
 */
export function ruleFiles(spec: StackSpec, target?: Target): Array<{ file: string; groups: RuleGroup[] }> {
  const files = buildRuleFiles(spec);
  const problems = checkRuleFiles(files, ruleKnownSeries(spec, files));
  if (problems.length > 0) throw new GeneratedCheckError('the generated rule files', problems.map((p) => formatProblems([p])));
  // A target's own: without the files of mixins it does not run (compose has no cluster for `kubernetes()`).
  const elsewhere = new Set(mixinsNotOn(spec, target).map((m) => `${m.name}.yaml`));
  return files.filter((f) => !elsewhere.has(f.file)).map((f) => ({ file: f.file, groups: f.groups }));
}

/**
 * The rule files synth writes to dist/rules, serialized, by file name (compose mounts the folder; the chart's
 * ConfigMaps hold them): each at most RULE_FILE_MAX_BYTES, a larger one cut between groups (src/alerts/split.ts).
 * With a target, only the files it loads.
 */
export function renderedRuleFiles(spec: StackSpec, target?: Target): Record<string, string> {
  const parts = ruleFiles(spec, target).flatMap(({ file, groups }) => splitRuleFile(file, groups));
  const names = parts.map((p) => p.file);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash) throw new Error(`rule files: two parts are both named ${clash}; rename the mixin whose name ends in -<number>`);
  return Object.fromEntries(parts.map((p) => [p.file, p.content]));
}

const hasScenarios = (g: RuleGroup) => g.rules.some((r) => isAlertRule(r) && (r.examples.scenarios ?? []).length > 0);
const apart = (g: RuleGroup) => g.scenariosApart === true && hasScenarios(g);
const base = (f: RuleFile) => f.file.replace(/\.yaml$/, '');

/** The rule files `promtool test rules` loads: the files themselves (every test file loads the whole file it tests). */
export function testRuleFiles(files: readonly RuleFile[]): RuleFile[] {
  return [...files];
}

/** The scenario label sets of a group, each with the group keeping only that set's scenarios. */
function scenariosBySubject(g: RuleGroup): Array<{ subject: string; group: RuleGroup }> {
  const key = (labels: Readonly<Record<string, string>>) => Object.values(labels).join('.').replace(/[^A-Za-z0-9_.-]/g, '_');
  const subjects = [...new Set(g.rules.flatMap((r) => (isAlertRule(r) ? (r.examples.scenarios ?? []).map((s) => key(s.labels)) : [])))];
  return subjects.map((subject) => ({
    subject,
    group: {
      ...g,
      rules: g.rules.map((r) =>
        isAlertRule(r) && r.examples.scenarios ? { ...r, examples: { ...r.examples, scenarios: r.examples.scenarios.filter((s) => key(s.labels) === subject) } } : r,
      ),
    },
  }));
}

/**
 * `promtool test rules` files for some rule files (`<name>.test.yaml`, and `<name>.<interval>.test.yaml` for examples
 * sampled otherwise; each loads `<name>.yaml` from the same folder): a firing and a silent case for every alert,
 * from the examples the alerts carry, and their scenarios. The scenarios of a group that keeps them apart go to
 * `<name>.scenarios.<subject>.test.yaml`, one per scenario labels (`slo.scenarios.demo.availability.test.yaml`), so
 * no single promtool run evaluates every SLO's hours of stories.
 */
export function ruleTestFiles(files: readonly RuleFile[]): Array<{ file: string; content: Record<string, unknown> }> {
  return files.flatMap((f) => {
    const partsOf = (g: RuleGroup) => ({ examples: true, scenarios: !apart(g) });
    const examples = exampleIntervals(f.groups).flatMap((interval) => {
      const tests = f.groups.flatMap((g) => renderRuleTestFile([g], [f.file], f.groups, interval, partsOf(g)).tests as Record<string, unknown>[]);
      if (tests.length === 0) return [];
      return [
        {
          file: f.file.replace(/\.yaml$/, interval === '1m' ? '.test.yaml' : `.${interval}.test.yaml`),
          content: { ...renderRuleTestFile([], [f.file], f.groups, interval), tests },
        },
      ];
    });
    const scenarios = f.groups.filter(apart).flatMap((g) =>
      scenariosBySubject(g).flatMap(({ subject, group }) =>
        exampleIntervals([group], { examples: false, scenarios: true }).map((interval) => ({
          file: `${base(f)}.scenarios.${subject}${interval === '1m' ? '' : `.${interval}`}.test.yaml`,
          content: renderRuleTestFile([group], [f.file], f.groups, interval, { examples: false, scenarios: true }),
        })),
      ),
    );
    return [...examples, ...scenarios];
  });
}

/** Every alert of some rule files. */
export function alertsOf(files: readonly RuleFile[]): AlertRule[] {
  return files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertRule)));
}

export type { AlertRule, RecordingRule, Rule, RuleGroup } from './model';
export { renderRuleFile, renderRuleTestFile } from './render';
export { RULE_FILE_MAX_BYTES, splitRuleFile } from './split';
export { BURN_RATE_POLICY, burnRateFactor } from './slo-policy';

/** The rule groups one mixin contributes to a spec (its file's groups), or none when the spec does not list it. */
export function mixinRules(spec: StackSpec, mixin: string): RuleGroup[] {
  return buildRuleFiles(spec).find((f) => f.file === `${mixin}.yaml`)?.groups ?? [];
}
