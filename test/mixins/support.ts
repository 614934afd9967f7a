import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildRuleFiles, renderRuleFile, ruleTestFiles, testRuleFiles, alertsOf, type AlertRule } from '../../src/alerts';
import { buildDashboards } from '../../src/dashboards';
import { promqlOf } from '../../src/dashboards/check';
import { toYaml } from '../../src/output/yaml';
import type { StackSpec } from '../../src/spec';
import { describeWithTools, runTool, TOOL_RUN_TIMEOUT_MS } from '../support/tools';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The alerts a mixin's rule file holds for a spec. */
export function mixinAlerts(spec: StackSpec, mixin: string): AlertRule[] {
  return alertsOf(buildRuleFiles(spec).filter((f) => f.file === `${mixin}.yaml`));
}

/** The rule groups (name and interval) of a mixin's rule file. */
export function mixinGroups(spec: StackSpec, mixin: string): Array<{ name: string; interval?: string; rules: number }> {
  const file = buildRuleFiles(spec).find((f) => f.file === `${mixin}.yaml`);
  return (file?.groups ?? []).map((g) => ({ name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules.length }));
}

/** Panel titles per dashboard file, for the dashboards whose file starts with `prefix`. */
export function panelTitles(spec: StackSpec, prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of buildDashboards(spec).filter((x) => x.file.startsWith(prefix))) {
    const panels = ((d.model as Obj).panels as Obj[]).filter((p) => p.type !== 'row');
    out[d.file] = panels.map((p) => p.title as string);
  }
  return out;
}

/** Every PromQL query of the dashboards whose file starts with `prefix`. */
export function dashboardQueries(spec: StackSpec, prefix: string): string[] {
  return buildDashboards(spec)
    .filter((x) => x.file.startsWith(prefix))
    .flatMap((d) => promqlOf(d.model).map((q) => q.expr));
}

/** `promtool check rules` and `promtool test rules` (every alert's firing and silent examples) on a spec's rule files. */
export function promtoolSuite(title: string, spec: StackSpec, files: readonly string[]): void {
  describeWithTools(title, ['promtool'], ({ promtool }) => {
    const dir = mkdtempSync(join(tmpdir(), 'obskit-mixin-rules-'));
    const built = buildRuleFiles(spec).filter((f) => files.includes(f.file));
    // The rule files, and a file of its own per SLO group with scenarios (what those test files load).
    for (const f of testRuleFiles(built)) writeFileSync(join(dir, f.file), toYaml(renderRuleFile(f.groups)));
    const tests = ruleTestFiles(built);
    for (const t of tests) writeFileSync(join(dir, t.file), toYaml(t.content));

    it.each(built.map((f) => f.file))('%s passes promtool check rules', (file) => {
      expect(runTool(promtool, ['check', 'rules', join(dir, file)])).toMatch(/SUCCESS/);
    });
    it.each(tests.map((t) => t.file))('%s passes promtool test rules (firing and silent examples)', (file) => {
      expect(runTool(promtool, ['test', 'rules', file], { cwd: dir })).toMatch(/SUCCESS/);
    }, TOOL_RUN_TIMEOUT_MS);
  });
}

/** Alerts whose runbook page (docs/runbooks/<Alert>.md) is missing. */
export function alertsWithoutRunbookPage(alerts: readonly AlertRule[]): string[] {
  const dir = resolve(__dirname, '../../docs/runbooks');
  return alerts.filter((a) => !existsSync(join(dir, `${a.alert}.md`)) || !a.runbookUrl.endsWith(`/${a.alert}.md`)).map((a) => a.alert);
}

/** One promtool `promql_expr_test` case for a mixin's recording rules: input series, and what a recorded series must hold. */
export interface RecordedCase {
  readonly name: string;
  readonly series: ReadonlyArray<readonly [series: string, values: string]>;
  readonly evalTime: string;
  readonly expect: ReadonlyArray<readonly [series: string, value: number]>;
}

/** Runs a mixin's recording rules through the pinned promtool on the given input, checking the recorded values. */
export function recordingRuleSuite(title: string, spec: StackSpec, file: string, cases: readonly RecordedCase[]): void {
  describeWithTools(title, ['promtool'], ({ promtool }) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const dir = mkdtempSync(join(tmpdir(), 'obskit-mixin-recorded-'));
      const built = buildRuleFiles(spec).find((f) => f.file === file)!;
      writeFileSync(join(dir, file), toYaml(renderRuleFile(built.groups.filter((g) => g.rules.every((r) => 'record' in r)))));
      const test = {
        rule_files: [file],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: c.series.map(([series, values]) => ({ series, values })),
            promql_expr_test: c.expect.map(([series, value]) => ({ expr: series, eval_time: c.evalTime, exp_samples: [{ labels: series, value }] })),
          },
        ],
      };
      writeFileSync(join(dir, 'recorded.test.yaml'), toYaml(test));
      expect(runTool(promtool, ['test', 'rules', 'recorded.test.yaml'], { cwd: dir })).toMatch(/SUCCESS/);
    });
  });
}
