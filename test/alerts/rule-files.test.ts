import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { toYaml } from '../../src/output/yaml';
import {
  alertsOf,
  buildRuleFiles,
  renderRuleFile,
  ruleFiles,
  ruleTestFiles,
  testRuleFiles,
  type RuleGroup,
} from '../../src/alerts';
import { isNeverSilent, silentExamples } from '../../src/alerts/model';
import { prettyPromQL } from '../../src/alerts/render';
import { BURN_RATE_POLICY } from '../../src/alerts/slo-policy';
import { SLO_GROUPS, sloClasses, windowPairExpr } from '../../src/alerts/slo';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpec } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';
import { userSpec } from '../fixtures/user-spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { describeWithTools, runTool, TOOL_RUN_TIMEOUT_MS } from '../support/tools';
import { sloSpec } from './fixtures';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPO = resolve(__dirname, '../..');
const defaultSpec = demoSpec;
const SPECS: Record<string, StackSpec> = { default: defaultSpec, slo: sloSpec, full: fullSpec, user: userSpec };

describe('ruleFiles', () => {
  it('gives synth and the Kubernetes chart the same files: one per mixin with rules, and the SLOs', () => {
    const files = ruleFiles(defaultSpec);
    expect(files.map((f) => f.file)).toEqual(['stack-health.yaml', 'kubernetes.yaml', 'http.yaml', 'nodejs.yaml', 'slo.yaml']);
    expect(files.map((f) => f.groups.map((g) => g.name))).toEqual([
      ['obskit.stack-health', 'obskit.stack-health.expected-services', 'obskit.stack-health.service-down'],
      ['obskit.kubernetes'],
      ['obskit.http.recording', 'obskit.http.thresholds', 'obskit.http.alerts'],
      ['obskit.nodejs.demo'],
      ['obskit.slo.demo', 'obskit.slo.windows', 'obskit.slo.alerts'],
    ]);
    const artifacts = buildArtifacts(defaultSpec).filter((a) => a.path.startsWith('dist/rules/'));
    expect(artifacts.map((a) => a.path).sort()).toEqual(['dist/rules/http.yaml', 'dist/rules/nodejs.yaml', 'dist/rules/slo.yaml', 'dist/rules/stack-health.yaml']);
    // The Kubernetes-only mixin's file is outside the folder compose mounts; the chart packages both.
    const kubernetesOnly = buildArtifacts(defaultSpec).filter((a) => a.path.startsWith('dist/kubernetes/'));
    expect(kubernetesOnly.map((a) => a.path).sort()).toEqual(['dist/kubernetes/dashboards/kubernetes.json', 'dist/kubernetes/rules/kubernetes.yaml']);
    for (const f of files) {
      const path = f.file === 'kubernetes.yaml' ? 'dist/kubernetes/rules/kubernetes.yaml' : `dist/rules/${f.file}`;
      expect([...artifacts, ...kubernetesOnly].find((a) => a.path === path)?.content).toBe(toYaml(renderRuleFile(f.groups)));
    }
  });

  it('leaves out the SLO file when no service has an SLO', () => {
    const files = ruleFiles(resolveSpec({ namespace: 'x', services: [{ name: 'api', port: 80 }] }));
    expect(files.map((f) => f.file)).toEqual(['stack-health.yaml', 'kubernetes.yaml']);
  });

  it('generates an alert only for what a service’s mixins say it emits', () => {
    const names = new Set(alertsOf(buildRuleFiles(resolveSpec({ namespace: 'x', services: [{ name: 'api', port: 80 }] }))).map((a) => a.alert));
    expect([...names].filter((n) => n.startsWith('Service'))).toEqual(['ServiceDown']);
  });

  it('has unique group names across files (promtool orders test evaluation by group name)', () => {
    for (const spec of Object.values(SPECS)) {
      const names = buildRuleFiles(spec).flatMap((f) => f.groups.map((g) => g.name));
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('is deterministic', () => {
    expect(JSON.stringify(ruleFiles(sloSpec))).toBe(JSON.stringify(ruleFiles(sloSpec)));
  });

  it('lays long expressions out over lines, changing only whitespace', () => {
    const rendered = (renderRuleFile(buildRuleFiles(sloSpec).flatMap((f) => f.groups)) as Obj).groups.flatMap((g: Obj) => g.rules) as Obj[];
    const model = buildRuleFiles(sloSpec).flatMap((f) => f.groups.flatMap((g) => g.rules));
    rendered.forEach((r, i) => expect(r.expr.replace(/\s+/g, '')).toBe(model[i]!.expr.replace(/\s+/g, '')));
    expect(rendered.filter((r) => r.expr.includes('\n')).length).toBeGreaterThan(10);
    for (const r of rendered) for (const line of (r.expr as string).split('\n')) expect(line.length).toBeLessThanOrEqual(160);
    expect(prettyPromQL('up == 0')).toBe('up == 0');
    expect(prettyPromQL(`(${'a'.repeat(60)} > 1) and (${'b'.repeat(60)} > 2)`)).toBe(`(${'a'.repeat(60)} > 1)\nand\n(${'b'.repeat(60)} > 2)`);
  });
});

describe.each(Object.entries(SPECS))('every alert (%s spec)', (_name, spec) => {
  const alerts = alertsOf(buildRuleFiles(spec));

  it('carries severity, summary, description and a runbook (obskit’s own in docs/runbooks)', () => {
    for (const a of alerts) {
      expect(['critical', 'warning', 'info', 'none']).toContain(a.severity);
      expect(a.summary.length).toBeGreaterThan(10);
      expect(a.description.length).toBeGreaterThan(20);
      if (!a.runbookUrl.startsWith(spec.alerting.runbookBaseUrl)) {
        expect(a.runbookUrl).toMatch(/^https:\/\//); // a team's own mixin links its own runbook
        continue;
      }
      expect(a.runbookUrl).toBe(`${spec.alerting.runbookBaseUrl}/${a.alert}.md`);
      const page = join(REPO, 'docs', 'runbooks', `${a.alert}.md`);
      expect(existsSync(page) ? page : `missing ${page}`).toBe(page);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# ${a.alert}\\n[\\s\\S]*## Meaning[\\s\\S]*## Impact[\\s\\S]*## First checks`));
    }
  });

  it('has a firing example and, except the Watchdog, at least one silent one', () => {
    for (const a of alerts) {
      expect(a.examples.fires.alerts.length).toBeGreaterThan(0);
      if (a.alert === 'Watchdog') expect(isNeverSilent(a.examples.silent)).toBe(true);
      else expect(silentExamples(a.examples).length).toBeGreaterThan(0);
    }
  });

  it('gets a promtool case for each of its examples', () => {
    const files = buildRuleFiles(spec);
    const cases = ruleTestFiles(files).flatMap((t) => (t.content.tests as Obj[]).map((c) => c.name as string));
    const expected = alerts.flatMap((a) => [
      `${a.alert} fires: ${a.examples.fires.name}`,
      ...silentExamples(a.examples).map((s) => `${a.alert} stays silent: ${s.name}`),
      ...(a.examples.scenarios ?? []).map((s) => `${a.alert} episodes: ${s.name}`),
    ]);
    expect(cases.sort()).toEqual(expected.sort());
  });
});

/** Writes the rule files and their generated promtool tests into a fresh folder. */
function layout(spec: StackSpec, edit?: (file: string, groups: RuleGroup[]) => RuleGroup[]): { dir: string; files: string[]; tests: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-rules-'));
  const built = buildRuleFiles(spec);
  for (const f of testRuleFiles(built)) writeFileSync(join(dir, f.file), toYaml(renderRuleFile(edit ? edit(f.file, f.groups) : f.groups)));
  const tests = ruleTestFiles(built);
  for (const t of tests) writeFileSync(join(dir, t.file), toYaml(t.content));
  return { dir, files: built.map((f) => f.file), tests: tests.map((t) => t.file) };
}

/** Runs only the cases of a generated test file whose name matches (scenarios take many seconds each). */
function runCases(promtool: string, dir: string, file: string, name: RegExp): string {
  const content = parseYaml(readFileSync(join(dir, file), 'utf8')) as Obj;
  const only = `only-${file}`;
  writeFileSync(join(dir, only), toYaml({ ...content, tests: (content.tests as Obj[]).filter((t) => name.test(t.name)) }));
  return runTool(promtool, ['test', 'rules', only], { cwd: dir });
}

/** The SLO examples, and one SLO's scenarios: each file loads the whole slo.yaml (the shared windows and alerts). */
const SLO_TESTS = 'slo.test.yaml';
const DEMO_AVAILABILITY_SCENARIOS = 'slo.scenarios.demo.availability.test.yaml';

describeWithTools('rule files against the pinned promtool', ['promtool'], ({ promtool }) => {
  describe.each(Object.entries(SPECS))('%s spec', (_name, spec) => {
    const { dir, files, tests } = layout(spec);

    it.each(files)('%s passes promtool check rules (lint included)', (file) => {
      const rules = buildRuleFiles(spec).find((f) => f.file === file)!.groups.flatMap((g) => g.rules).length;
      expect(runTool(promtool, ['check', 'rules', join(dir, file)])).toMatch(new RegExp(`SUCCESS: ${rules} rules found`));
    });

    it.each(tests)('%s passes promtool test rules', (file) => {
      expect(runTool(promtool, ['test', 'rules', file], { cwd: dir })).toMatch(/SUCCESS/);
    }, TOOL_RUN_TIMEOUT_MS);
  });

  describe('the generated tests catch a rule that drifts from its model', () => {
    const withRule = (alert: string, change: (expr: string) => string) => (file: string, groups: RuleGroup[]) =>
      groups.map((g) => ({ ...g, rules: g.rules.map((r) => ('alert' in r && r.alert === alert ? { ...r, expr: change(r.expr) } : r)) }));

    it('a looser RED threshold fires on the silent example', () => {
      const { dir } = layout(defaultSpec, withRule('ServiceErrorRatioHigh', (e) => e.replace('> on (service_name) group_left service_name:http_error_ratio:threshold{class="10m"}', '> 0.01')));
      expect(() => runTool(promtool, ['test', 'rules', 'http.test.yaml'], { cwd: dir })).toThrow(/ServiceErrorRatioHigh stays silent/);
    });

    it('a dropped low-traffic guard fires on the low-traffic example and pages for one failed request', () => {
      const { dir } = layout(defaultSpec, withRule('ErrorBudgetBurnFast', (e) => e.replaceAll('>= 100', '>= 0')));
      expect(() => runCases(promtool, dir, SLO_TESTS, /stays silent: demo\/availability: every request bad/)).toThrow(/ErrorBudgetBurnFast stays silent: demo\/availability: every request bad, but only 2/);
      expect(() => runCases(promtool, dir, DEMO_AVAILABILITY_SCENARIOS, /demo\/availability: .*exactly one failing/)).toThrow(
        /exactly one failing — ErrorBudgetBurnFast episodes by 180m[^\n]*\n\s*exp: \{\} 0E\+00\n\s*got: \{\} 1E\+00/,
      );
    });

    it('a guard without its outage clause never pages for a low-traffic outage', () => {
      const { dir } = layout(defaultSpec, withRule('ErrorBudgetBurnFast', (e) => e.replaceAll('>= 2.5', '>= 1000000')));
      expect(() => runCases(promtool, dir, DEMO_AVAILABILITY_SCENARIOS, /demo\/availability: .*all failing/)).toThrow(
        /all failing for 12 h after 6 h of success — ErrorBudgetBurnFast episodes by 395m[^\n]*\n\s*exp: \{\} 1E\+00\n\s*got: \{\} 0E\+00/,
      );
    });

    it('a page alert per window pair (the old shape) pages twice for one spike', () => {
      // ErrorBudgetBurnFast split back into one alert per window pair, as ErrorBudgetBurn1h and ErrorBudgetBurn6h were.
      const [cls] = sloClasses(defaultSpec);
      const [pair1h, pair6h] = BURN_RATE_POLICY.filter((p) => p.tier === 'page').map((p) => windowPairExpr(cls!, p));
      const split = (file: string, groups: RuleGroup[]) =>
        groups.map((g) => ({
          ...g,
          rules: g.rules.flatMap((r) =>
            'alert' in r && r.alert === 'ErrorBudgetBurnFast' && g.name === SLO_GROUPS.alerts
              ? [
                  { ...r, expr: pair1h! },
                  { ...r, alert: 'ErrorBudgetBurnFast6h', expr: pair6h! },
                ]
              : [r],
          ),
        }));
      const { dir } = layout(defaultSpec, split);
      expect(() => runCases(promtool, dir, DEMO_AVAILABILITY_SCENARIOS, /demo\/availability: 10 minutes of 50% bad/)).toThrow(
        /10 minutes of 50% bad[^\n]* — critical alerts episodes by 790m[^\n]*\n\s*exp: \{\} 1E\+00\n\s*got: \{\} 2E\+00/,
      );
    });

    it('a RED guard without its outage clause misses the low-traffic outage', () => {
      const { dir } = layout(defaultSpec, withRule('ServiceErrorRatioHigh', (e) => e.replace('>= 2.5', '>= 1000000')));
      expect(() => runTool(promtool, ['test', 'rules', 'http.test.yaml'], { cwd: dir })).toThrow(
        /ServiceErrorRatioHigh episodes: every request failing[^\n]*\n\s*exp: \{\} 1E\+00\n\s*got: \{\} 0E\+00/,
      );
    });

    it('a burn-rate alert without its short window fires after the burn stopped', () => {
      const { dir } = layout(
        defaultSpec,
        withRule('ErrorBudgetBurnFast', (e) => e.replace(' and (slo:sli_error:ratio_rate30m > on (service_name, slo) (6 * slo:error_budget:ratio))', '')),
      );
      expect(() => runCases(promtool, dir, SLO_TESTS, /ErrorBudgetBurnFast stays silent: .*burned for/)).toThrow(/ErrorBudgetBurnFast stays silent: demo\/availability: burned for/);
    });

    it('a stricter SLO threshold misses the firing example', () => {
      const { dir } = layout(defaultSpec, withRule('ErrorBudgetBurnSlow', (e) => e.replaceAll(/\((3|1) \* slo:error_budget:ratio\)/g, '(30 * slo:error_budget:ratio)')));
      expect(() => runCases(promtool, dir, SLO_TESTS, /ErrorBudgetBurnSlow fires/)).toThrow(/ErrorBudgetBurnSlow fires/);
    });
  });
});
