import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertsOf, buildRuleFiles } from '../../src/alerts';
import { isAlertRule, type RecordingRule } from '../../src/alerts/model';
import { runSynth, tempDir } from '../support/synth';
import { userSpec } from '../fixtures/user-spec';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('a mixin written outside src/mixins (test/fixtures/hooks-mixin)', () => {
  const files = buildRuleFiles(userSpec);

  it('brings its recording rules and alerts, overrides applying to them like to built-in ones', () => {
    const hooks = files.find((f) => f.file === 'hooks.yaml')!;
    expect(hooks.groups.map((g) => [g.name, g.interval])).toEqual([
      ['obskit.hooks.recording', '1m'],
      ['obskit.hooks.memory.errors', '30s'],
    ]);
    const alert = hooks.groups[1]!.rules.filter(isAlertRule)[0]!;
    expect(alert).toMatchObject({ alert: 'HookErrorsHigh', for: '10m', runbookUrl: 'https://runbooks.example.com/hooks/HookErrorsHigh.md' });
    expect(alert.expr).toBe('sum by (service_name, hook) (rate(hook_invocations_total{service_name="memory", outcome="error"}[5m])) > 0.5');
  });

  it('keeps SLOs on its own metrics: latency on the buckets the spec set, good/total and bad/total ratios', () => {
    const slo = files.find((f) => f.file === 'slo.yaml')!.groups;
    const mine = slo.find((g) => g.name === 'obskit.slo.memory')!.rules as RecordingRule[];
    const record = (sloName: string, name: string) => mine.find((r) => r.record === name && r.labels?.slo === sloName)!;
    expect(record('hooks-fast', 'slo:sli_errors:rate5m').expr).toBe(
      'slo:sli_requests:rate5m{service_name="memory", slo="hooks-fast"} - on (service_name) sum by (service_name) (rate(hook_duration_seconds_bucket{service_name="memory", le=~"2\\\\.0|2"}[5m]))',
    );
    expect(record('hooks-succeed', 'slo:sli_errors:rate5m').expr).toContain('rate(hook_invocations_total{service_name="memory", outcome=~"ok|timeout"}[5m])');
    expect(record('hooks-no-timeout', 'slo:sli_requests:rate5m').expr).toBe(
      'sum by (service_name) (rate(hook_invocations_total{service_name="memory", hook=~"capture"}[5m]))',
    );
    // The alert texts' words are the SLO's data, on its budget series, which the shared burn-rate alerts read.
    expect(record('hooks-fast', 'slo:error_budget:ratio').labels).toMatchObject({ slo_events: 'hook runs', slo_bad_events: 'took longer than 2' });
    const burn = alertsOf(files).find((a) => a.alert === 'ErrorBudgetBurnFast')!;
    expect(burn.description).toContain('{{ $labels.slo_bad_events }}');
  });

  it('composes into a real synth with no generator edits: its rule file, its dashboard, a Python service without Node dashboards', () => {
    const out = tempDir('user-mixin');
    const run = runSynth(['--spec', join(__dirname, '../fixtures/user-spec.ts'), '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const dashboard = JSON.parse(readFileSync(join(out, 'dist/dashboards/hooks.json'), 'utf8')) as Obj;
    expect(dashboard.uid).toBe('team-hooks');
    const rules = parse(readFileSync(join(out, 'dist/rules/hooks.yaml'), 'utf8')) as Obj;
    expect(rules.groups.map((g: Obj) => [g.name, g.interval])).toEqual([['obskit.hooks.recording', '1m'], ['obskit.hooks.memory.errors', '30s']]);
    expect(() => readFileSync(join(out, 'dist/dashboards/runtime.json'))).toThrow();
    expect(readFileSync(join(out, 'dist/dashboards/python-runtime.json'), 'utf8')).toContain('"query": "memory"');
  });
});
