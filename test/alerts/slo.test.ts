import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../src/output/yaml';
import { RECORDED, SLO_WINDOWS } from '../../src/promql';
import { alertsOf, buildRuleFiles, renderRuleFile, type RuleGroup } from '../../src/alerts';
import { http, httpAvailability } from '../../src/mixins';
import { isAlertRule, type AlertRule, type RecordingRule } from '../../src/alerts/model';
import { BURN_RATE_POLICY } from '../../src/alerts/slo-policy';
import { SLO_GROUPS, sloClasses, sloRules, sloServiceGroup } from '../../src/alerts/slo';
import { resolveSpec } from '../../src/spec';
import { stack } from '../fixtures/demo-spec';
import { describeWithTools, runTool } from '../support/tools';
import { sloSpec } from './fixtures';

const spec = resolveSpec(stack);
const groups = sloRules(spec);
const group = (name: string): RuleGroup => groups.find((g) => g.name === name)!;
const demo = group(sloServiceGroup('demo'));
const windows = group(SLO_GROUPS.windows);
const alertGroup = group(SLO_GROUPS.alerts);
const recordsOf = (g: RuleGroup, record: string, labels: Record<string, string> = {}): RecordingRule[] =>
  g.rules.filter((r): r is RecordingRule => 'record' in r && r.record === record && Object.entries(labels).every(([k, v]) => r.labels?.[k] === v));
const recordOf = (g: RuleGroup, record: string, labels: Record<string, string> = {}): RecordingRule => {
  const [found, ...more] = recordsOf(g, record, labels);
  if (!found || more.length > 0) throw new Error(`not exactly one record ${record} ${JSON.stringify(labels)}`);
  return found;
};
const AVAILABILITY = { slo: 'availability' };
const LATENCY = { slo: 'latency' };
const alertsIn = (g: RuleGroup): AlertRule[] => g.rules.filter(isAlertRule);

describe('SLO rules of the default spec', () => {
  it('gives each service with SLOs a group of its own, then the windows and the alerts every SLO shares', () => {
    expect(groups.map((g) => [g.name, g.interval])).toEqual([
      ['obskit.slo.demo', '1m'],
      ['obskit.slo.windows', '1m'],
      ['obskit.slo.alerts', '1m'],
    ]);
  });

  it('records per SLO only the 5m total and bad rates from raw counters and the budget with its parameters', () => {
    expect(demo.rules.map((r) => `${(r as RecordingRule).record} ${r.labels?.slo}`)).toEqual([
      'slo:sli_requests:rate5m availability',
      'slo:sli_errors:rate5m availability',
      'slo:error_budget:ratio availability',
      'slo:sli_requests:rate5m latency',
      'slo:sli_errors:rate5m latency',
      'slo:error_budget:ratio latency',
    ]);
    expect(recordOf(demo, RECORDED.sloRequestRate['5m'].name, AVAILABILITY).expr).toBe(
      'sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo"}[5m]))',
    );
    expect(recordOf(demo, RECORDED.sloErrorRate['5m'].name, AVAILABILITY).expr).toBe(
      'sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo", http_response_status_code=~"5.."}[5m])) ' +
        'or on (service_name) (0 * slo:sli_requests:rate5m{service_name="demo", slo="availability"})',
    );
    expect(recordOf(demo, RECORDED.sloErrorBudget.name, AVAILABILITY)).toEqual({
      record: 'slo:error_budget:ratio',
      expr: 'vector(0.001)',
      labels: {
        service_name: 'demo',
        slo: 'availability',
        slo_alerts: '30d',
        slo_objective: '99.9%',
        slo_events: 'requests',
        slo_bad_events: 'failed (5xx)',
      },
    });
  });

  it('writes the longer windows once for all SLOs, as sums of the 5m rates (a ratio of sums, never an average of ratios)', () => {
    for (const w of SLO_WINDOWS.filter((w) => w !== '5m')) {
      const samples = { '30m': 30, '1h': 60, '2h': 120, '6h': 360, '1d': 1440, '3d': 4320 }[w];
      expect(recordOf(windows, RECORDED.sloRequestRate[w].name).expr).toBe(`sum_over_time(slo:sli_requests:rate5m[${w}]) / ${samples}`);
      expect(recordOf(windows, RECORDED.sloErrorRate[w].name).expr).toBe(`sum_over_time(slo:sli_errors:rate5m[${w}]) / ${samples}`);
    }
    for (const w of SLO_WINDOWS) {
      expect(recordOf(windows, RECORDED.sloErrorRatio[w].name).expr).toBe(`slo:sli_errors:rate${w} / slo:sli_requests:rate${w}`);
      expect(recordOf(windows, RECORDED.sloBurnRate[w].name).expr).toBe(`slo:sli_error:ratio_rate${w} / on (service_name, slo) slo:error_budget:ratio`);
    }
    const all = groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(all.filter((e) => /_over_time\([^)]*ratio/.test(e))).toEqual([]);
    expect(recordOf(windows, RECORDED.sloErrorRatioPeriod.name)).toEqual({
      record: 'slo:sli_error:ratio_period',
      expr: '(sum_over_time(slo:sli_errors:rate5m[30d]) / sum_over_time(slo:sli_requests:rate5m[30d])) and on (service_name, slo) slo:error_budget:ratio{slo_alerts=~"30d"}',
      labels: { slo_period: '30d' },
    });
    expect(recordOf(windows, RECORDED.sloErrorBudgetRemaining.name).expr).toBe('1 - (slo:sli_error:ratio_period / on (service_name, slo) slo:error_budget:ratio)');
    // The objective, from the budget: one rule for all SLOs, with their two labels only.
    expect(recordOf(windows, RECORDED.sloObjective.name).expr).toBe('1 - max by (service_name, slo) (slo:error_budget:ratio)');
    // Nothing of the shared rules names a service: adding one adds only its own group.
    expect([...windows.rules, ...alertGroup.rules].filter((r) => r.expr.includes('demo'))).toEqual([]);
  });

  it('counts slow requests for a latency SLO as all requests minus the bucket at the threshold', () => {
    expect(recordOf(demo, RECORDED.sloErrorRate['5m'].name, LATENCY).expr).toBe(
      'slo:sli_requests:rate5m{service_name="demo", slo="latency"} - on (service_name) ' +
        'sum by (service_name) (rate(http_server_request_duration_seconds_bucket{service_name="demo", le="0.5"}[5m]))',
    );
    // An integer bound is "1.0" when scraped and "1" over OTLP: both match.
    const checkout = sloRules(sloSpec).find((g) => g.name === sloServiceGroup('checkout'))!;
    expect(recordOf(checkout, RECORDED.sloErrorRate['5m'].name, LATENCY).expr).toContain('le=~"1\\\\.0|1"');
  });

  it('writes budgets decimal-safely', () => {
    expect(recordOf(demo, RECORDED.sloErrorBudget.name, AVAILABILITY).expr).toBe('vector(0.001)');
    expect(recordOf(demo, RECORDED.sloErrorBudget.name, LATENCY).expr).toBe('vector(0.01)');
    const checkout = sloRules(sloSpec).find((g) => g.name === sloServiceGroup('checkout'))!;
    expect(recordOf(checkout, RECORDED.sloErrorBudget.name, AVAILABILITY).expr).toBe('vector(0.0005)');
  });

  it('has one page and one ticket for all SLOs of a class, each covering both window pairs of its tier, without `for`', () => {
    // No `for`: the short window of each pair already keeps an alert from flapping, and `for` only delays the page.
    expect(alertsIn(alertGroup).map((a) => [a.alert, a.severity, a.for, a.labels])).toEqual([
      ['ErrorBudgetBurnFast', 'critical', undefined, { slo_alerts: '30d' }],
      ['ErrorBudgetBurnSlow', 'warning', undefined, { slo_alerts: '30d' }],
    ]);
    const above = (w: string, factor: string) => `(slo:sli_error:ratio_rate${w} > on (service_name, slo) (${factor} * slo:error_budget:ratio))`;
    const pair = (long: string, seconds: number, short: string, factor: string) =>
      `(${above(long, factor)} and ${above(short, factor)}) and ` +
      `(((slo:sli_requests:rate${long} * ${seconds}) >= 100) or ` +
      `(((slo:sli_errors:rate${long} * ${seconds}) >= 2.5) and (slo:sli_error:ratio_rate${short} >= 0.5)))`;
    const scoped = (pairs: string) =>
      `((${pairs}) + on (service_name, slo) group_left (slo_objective, slo_events, slo_bad_events) (0 * slo:error_budget:ratio{slo_alerts="30d"}))`;
    const [fast, slow] = alertsIn(alertGroup);
    expect(`(${fast!.expr})`).toBe(scoped(`(${pair('1h', 3600, '5m', '14.4')}) or (${pair('6h', 21600, '30m', '6')})`));
    expect(`(${slow!.expr})`).toBe(scoped(`(${pair('1d', 86400, '2h', '3')}) or (${pair('3d', 259200, '6h', '1')})`));
    expect(BURN_RATE_POLICY).toHaveLength(4);
  });

  it('makes a class of each period, minRequests and overrides’ outcome, and scopes each class’s alerts by its label', () => {
    const classes = sloClasses(sloSpec);
    expect(classes.map((c) => [c.id.replace(/-[0-9a-f]{8}$/, '-<hash>'), c.members.map((m) => `${m.service}/${m.slo.name}`), Object.keys(c.tiers)])).toEqual([
      ['30d-<hash>', ['checkout/availability'], ['page']],
      ['28d-<hash>', ['checkout/latency'], ['page', 'ticket']],
      ['7d-<hash>', ['payments/availability'], ['page', 'ticket']],
    ]);
    const alerts = alertsOf(buildRuleFiles(sloSpec)).filter((a) => a.alert.startsWith('ErrorBudgetBurn'));
    for (const c of classes) {
      for (const a of alerts.filter((x) => x.labels?.slo_alerts === c.id)) expect(a.expr).toContain(`slo:error_budget:ratio{slo_alerts="${c.id}"}`);
    }
    // 28d and 7d periods: factors 13.44 and 3.36 for the 1h pair; a low-traffic guard of 0 requests (no outage
    // clause: every window counts) when the spec turns it off.
    const byClass = (id: string) => alerts.filter((a) => a.labels?.slo_alerts === id);
    expect(byClass(classes[1]!.id)[0]!.expr).toContain('(13.44 * slo:error_budget:ratio)');
    expect(byClass(classes[2]!.id)[0]!.expr).toContain('(3.36 * slo:error_budget:ratio)');
    // No factor below 1 (it would fire with the SLO met): the 7d ticket's pairs both compare with the budget itself.
    expect(byClass(classes[2]!.id)[1]!.expr.match(/\(([\d.]+) \* slo:error_budget:ratio\)/g)).toEqual(Array(4).fill('(1 * slo:error_budget:ratio)'));
    expect(byClass(classes[2]!.id)[0]!.expr).toContain('* 3600) >= 0)');
    expect(byClass(classes[2]!.id)[0]!.expr).not.toContain('>= 2.5');
    // One period-ratio rule per period, each kept to its SLOs.
    const periods = recordsOf(sloRules(sloSpec).find((g) => g.name === SLO_GROUPS.windows)!, RECORDED.sloErrorRatioPeriod.name);
    expect(periods.map((r) => r.labels?.slo_period)).toEqual(['30d', '28d', '7d']);
    // A period's SLOs are those of its classes, told by their budgets' class label.
    expect(periods.map((r) => /slo_alerts=~"([^"]+)"/.exec(r.expr)?.[1])).toEqual(classes.map((c) => c.id));
  });

  it('labels burn-rate alerts with the service and SLO (which Alertmanager inhibition compares) and the words of their texts', () => {
    for (const a of alertsIn(alertGroup)) {
      expect(a.summary).toContain('{{ $labels.service_name }}');
      expect(a.description).toContain('{{ $labels.slo_objective }}');
      expect(a.examples.fires.alerts.map((x) => x.labels)).toEqual([
        { service_name: 'demo', slo: 'availability', slo_objective: '99.9%', slo_events: 'requests', slo_bad_events: 'failed (5xx)' },
      ]);
    }
  });

  it('shows several SLOs at once in the examples: one burning fires, the one beside it at half its threshold does not', () => {
    const page = alertsOf(buildRuleFiles(sloSpec)).find((a) => a.alert === 'ErrorBudgetBurnFast' && a.examples.scenarios?.some((s) => s.name.startsWith('payments')))!;
    expect(page).toBeDefined();
    const many = resolveSpec({
      namespace: 'x',
      services: ['a', 'b', 'c'].map((name, i) => ({ name, port: 8080 + i, mixins: [http()], slos: [{ name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' }] })),
    });
    const [fast] = alertsIn(sloRules(many).find((g) => g.name === SLO_GROUPS.alerts)!);
    expect(fast!.examples.fires.alerts.map((a) => a.labels.service_name)).toEqual(['a', 'b']);
    expect(fast!.examples.fires.series.map((s) => s.series.match(/service_name="(\w+)"/)![1])).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(fast!.examples.scenarios!.map((s) => s.labels.service_name)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });
});

/** A promtool test file of `promql_expr_test`s against the default spec's slo.yaml. */
function exprTests(inputSeries: { series: string; values: string }[], evalTime: string, expected: [string, string, number][]) {
  return {
    interval: '1m',
    input_series: inputSeries,
    promql_expr_test: expected.map(([record, slo, value]) => ({
      // By service and SLO only: the budget and the period ratio carry parameter labels too.
      expr: `round(sum by (service_name, slo) (${record}{service_name="demo", slo="${slo}"}), 0.000001)`,
      eval_time: evalTime,
      exp_samples: [{ labels: `{service_name="demo", slo="${slo}"}`, value }],
    })),
  };
}

const count = (code: string, values: string) => ({
  series: `http_server_request_duration_seconds_count{job="demo", instance="demo:8080", service_name="demo", http_response_status_code="${code}"}`,
  values,
});
const bucket = (le: string, values: string) => ({
  series: `http_server_request_duration_seconds_bucket{job="demo", instance="demo:8080", service_name="demo", http_response_status_code="200", le="${le}"}`,
  values,
});

describeWithTools('SLO recording rules against hand-computed numbers (promtool)', ['promtool'], ({ promtool }) => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-slo-'));
  const slo = buildRuleFiles(spec).find((f) => f.file === 'slo.yaml')!;
  writeFileSync(join(dir, 'slo.yaml'), toYaml(renderRuleFile(slo.groups)));
  const run = (name: string, tests: unknown[]) => {
    // Per-service groups before the shared windows before the alerts, as in the file: at one evaluation time each reads
    // what the one before it recorded (unordered, promtool may run the windows first and read a minute-old rate).
    const order = slo.groups.map((g) => g.name);
    writeFileSync(join(dir, name), toYaml({ rule_files: ['slo.yaml'], evaluation_interval: '1m', group_eval_order: order, tests }));
    return runTool(promtool, ['test', 'rules', name], { cwd: dir });
  };

  it('1000 requests per 5m with 5 errors: ratio 0.005, burn rate 5 at 99.9%, budget overspent 4×', () => {
    // 199 good and 1 failed request a minute = 1000 requests and 5 errors per 5 minutes.
    const input = [count('200', '0+199x60'), count('500', '0+1x60')];
    expect(
      run('steady.test.yaml', [
        exprTests(input, '30m', [
          ['slo:sli_requests:rate5m', 'availability', 3.333333], // 1000 / 300s
          ['slo:sli_errors:rate5m', 'availability', 0.016667], // 5 / 300s
          ['slo:sli_error:ratio_rate5m', 'availability', 0.005], // 5 / 1000
          ['slo:burn_rate:ratio_rate5m', 'availability', 5], // 0.005 / 0.001
          ['slo:sli_error:ratio_rate1h', 'availability', 0.005],
          ['slo:burn_rate:ratio_rate6h', 'availability', 5],
          ['slo:sli_error:ratio_period', 'availability', 0.005],
          ['slo:error_budget_remaining:ratio', 'availability', -4], // 1 - 0.005 / 0.001
          ['slo:error_budget:ratio', 'availability', 0.001],
          ['slo:objective:ratio', 'availability', 0.999],
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('no 5xx series at all: zero errors and the whole budget left, not a gap', () => {
    expect(
      run('clean.test.yaml', [
        exprTests([count('200', '0+200x60')], '30m', [
          ['slo:sli_errors:rate5m', 'availability', 0],
          ['slo:sli_error:ratio_rate5m', 'availability', 0],
          ['slo:burn_rate:ratio_rate1h', 'availability', 0],
          ['slo:error_budget_remaining:ratio', 'availability', 1],
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('a window’s ratio is total errors over total requests, not the average of ratios', () => {
    // Minutes 1-30: 100 requests a minute, 10 failing (10%). Minutes 31-60: 900 a minute, none failing.
    // The 1h window is the sum of the 60 recorded 5m rates (minutes 1..60). A minute's increase is in the 5m rates of
    // that minute and the 3 after (4 samples of 5 in a window, extrapolated ×5/4; the first windows, with fewer
    // samples, extrapolate half a minute: ×1.5, ×1.25, ×7/6), so minute k weighs W(k): 5.1667, 4.9167, 4.9167, then
    // 5 up to minute 57, and 3.75, 2.5, 1.25 for the last three (their later windows are not there yet).
    // Errors: 10 × (15 + 27 × 5) = 1500. Requests: 100 × 150 + 900 × (27 × 5 + 7.5) = 143250.
    // Ratio = 1500 / 143250 = 0.010471 — an average of the two phases' ratios would say 5%.
    // The counters have been running for a while (so rate()'s extrapolation treats both alike).
    const input = [count('200', '100000+90x30 103600+900x29'), count('500', '5000+10x30 5300+0x29')];
    expect(
      run('phases.test.yaml', [
        exprTests(input, '60m', [
          ['slo:sli_error:ratio_rate1h', 'availability', 0.010471],
          ['slo:sli_error:ratio_rate5m', 'availability', 0],
          ['slo:burn_rate:ratio_rate1h', 'availability', 10.471204], // 0.0104712 / 0.001
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('latency: 2 of 200 requests a minute slower than 0.5s is a ratio of 0.01, burn rate 1 at 99%', () => {
    const input = [count('200', '0+200x60'), bucket('0.5', '0+198x60'), bucket('+Inf', '0+200x60')];
    expect(
      run('latency.test.yaml', [
        exprTests(input, '30m', [
          ['slo:sli_requests:rate5m', 'latency', 3.333333],
          ['slo:sli_errors:rate5m', 'latency', 0.033333], // 10 slow per 300s
          ['slo:sli_error:ratio_rate5m', 'latency', 0.01],
          ['slo:burn_rate:ratio_rate30m', 'latency', 1],
          ['slo:error_budget_remaining:ratio', 'latency', 0],
          ['slo:error_budget:ratio', 'latency', 0.01],
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('fails when a number is off (so the checks above can fail)', () => {
    expect(() =>
      run('wrong.test.yaml', [exprTests([count('200', '0+199x60'), count('500', '0+1x60')], '30m', [['slo:sli_error:ratio_rate5m', 'availability', 0.006]])]),
    ).toThrow(/slo:sli_error:ratio_rate5m/);
  });
});
