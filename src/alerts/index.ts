/**
 * Every Prometheus rule file obskit generates for a spec, as data: synth writes each to `dist/rules/<file>`, and
 * the Kubernetes chart mounts the same files into Prometheus (`rule_files: [<rules dir>/*.yaml]`).
 */
import { checkRuleGroups, formatProblems, type KnownSeries, type Problem } from '../promql/check';
import { knownSeries } from '../promql/known';
import type { StackSpec } from '../spec';
import { isAlertRule, type AlertRule, type RuleGroup } from './model';
import { GeneratedCheckError } from '../output/check-error';
import { toYaml } from '../output/yaml';
import { exampleIntervals, renderRuleFile, renderRuleTestFile } from './render';
import { serviceRules } from './services';
import { sloRules } from './slo';
import { stackHealthRules } from './stack-health';

export interface RuleFile {
  /** File name inside dist/rules (and key of the Kubernetes ConfigMap): `stack-health.yaml`. */
  readonly file: string;
  readonly groups: RuleGroup[];
}

/** The rule files of a spec, in a fixed order; files without groups are left out. */
export function buildRuleFiles(spec: StackSpec): RuleFile[] {
  return [
    { file: 'stack-health.yaml', groups: stackHealthRules(spec) },
    { file: 'services.yaml', groups: serviceRules(spec) },
    { file: 'slo.yaml', groups: sloRules(spec) },
  ].filter((f) => f.groups.length > 0);
}

/** The series rules may read: the catalogs, obskit's recorded series, and whatever these files record. */
export function ruleKnownSeries(files: readonly RuleFile[]): KnownSeries {
  const known = knownSeries();
  for (const f of files) known.addRecordingRules(f.groups, `dist/rules/${f.file}`);
  return known;
}

/** Every expression of every file checked with the PromQL checker (parses; names only known series and labels). */
export function checkRuleFiles(files: readonly RuleFile[], known: KnownSeries = ruleKnownSeries(files)): Problem[] {
  return files.flatMap((f) => checkRuleGroups(f.groups, known, `dist/rules/${f.file}`));
}

/**
 * The rule files of a spec: stack health, per-service RED and recording rules, and SLOs. Throws when an expression
 * does not parse or names a series no catalog or recording rule defines (a generator bug, never a spec problem).
 */
export function ruleFiles(spec: StackSpec): Array<{ file: string; groups: RuleGroup[] }> {
  const files = buildRuleFiles(spec);
  const problems = checkRuleFiles(files);
  if (problems.length > 0) throw new GeneratedCheckError('the generated rule files', problems.map((p) => formatProblems([p])));
  return files.map((f) => ({ file: f.file, groups: f.groups }));
}

/** The rule files synth writes to dist/rules, serialized, by file name (compose mounts them; the chart's ConfigMap holds them). */
export function renderedRuleFiles(spec: StackSpec): Record<string, string> {
  return Object.fromEntries(ruleFiles(spec).map(({ file, groups }) => [file, toYaml(renderRuleFile(groups))]));
}

const hasScenarios = (g: RuleGroup) => g.rules.some((r) => isAlertRule(r) && (r.examples.scenarios ?? []).length > 0);
const isolated = (g: RuleGroup) => g.selfContained === true && hasScenarios(g);
const base = (f: RuleFile) => f.file.replace(/\.yaml$/, '');

/**
 * The rule files `promtool test rules` loads: the files themselves, and a file of its own for each self-contained
 * group with scenarios (`<name>.<group>.yaml`), so those hours-long cases evaluate that group only.
 */
export function testRuleFiles(files: readonly RuleFile[]): RuleFile[] {
  return [...files, ...files.flatMap((f) => f.groups.filter(isolated).map((g) => ({ file: `${base(f)}.${g.name}.yaml`, groups: [g] })))];
}

/**
 * `promtool test rules` files for some rule files (`<name>.test.yaml`, and `<name>.5m.test.yaml` for examples
 * sampled every 5m; each loads `<name>.yaml` from the same folder): a firing and a silent case for every alert,
 * from the examples the alerts carry, and their scenarios. The scenarios of a self-contained group go to
 * `<name>.<group>.scenarios.test.yaml`, which loads that group's own file (see testRuleFiles).
 */
export function ruleTestFiles(files: readonly RuleFile[]): Array<{ file: string; content: Record<string, unknown> }> {
  return files.flatMap((f) => {
    const partsOf = (g: RuleGroup) => ({ examples: true, scenarios: !isolated(g) });
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
    const scenarios = f.groups.filter(isolated).flatMap((g) =>
      exampleIntervals([g], { examples: false, scenarios: true }).map((interval) => ({
        file: `${base(f)}.${g.name}.scenarios${interval === '1m' ? '' : `.${interval}`}.test.yaml`,
        content: renderRuleTestFile([g], [`${base(f)}.${g.name}.yaml`], [g], interval, { examples: false, scenarios: true }),
      })),
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
export { ALERTS, STACK_ALERTS, SERVICE_ALERTS, type AlertInfo } from './alerts';
export { BURN_RATE_POLICY, burnRateFactor } from './slo-policy';
