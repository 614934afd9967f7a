import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../src/output/yaml';
import { RECORDED, SLO_WINDOWS } from '../../src/promql';
import { buildRuleFiles, renderRuleFile, type RuleGroup } from '../../src/alerts';
import { isAlertRule, type AlertRule, type RecordingRule } from '../../src/alerts/model';
import { BURN_RATE_POLICY } from '../../src/alerts/slo-policy';
import { sloGroup, sloRules } from '../../src/alerts/slo';
import { resolveSpec } from '../../src/spec';
import { stack } from '../fixtures/demo-spec';
import { describeWithTools, runTool } from '../support/tools';
import { sloSpec } from './fixtures';

const spec = resolveSpec(stack);
const groups = sloRules(spec);
const group = (name: string): RuleGroup => groups.find((g) => g.name === name)!;
const availability = group(sloGroup('demo', 'availability'));
const latency = group(sloGroup('demo', 'latency'));
const recordOf = (g: RuleGroup, record: string): RecordingRule => {
  const found = g.rules.find((r): r is RecordingRule => 'record' in r && r.record === record);
  if (!found) throw new Error(`no record ${record}`);
  return found;
};
const alertOf = (g: RuleGroup, name: string): AlertRule => g.rules.filter(isAlertRule).find((a) => a.alert === name)!;

describe('SLO rules of the default spec', () => {
  it('gives the demo service an availability (99.9% / 30d) and a latency SLO (99% under 0.5s)', () => {
    expect(groups.map((g) => g.name)).toEqual(['obskit.slo.demo.availability', 'obskit.slo.demo.latency']);
  });

  it('records the bad and the total rate separately per window, and the ratio as their quotient', () => {
    for (const w of SLO_WINDOWS) {
      expect(recordOf(availability, RECORDED.sloRequestRate[w].name).expr).toBe(
        `sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo"}[${w}]))`,
      );
      expect(recordOf(availability, RECORDED.sloErrorRate[w].name).expr).toBe(
        `sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo", http_response_status_code=~"5.."}[${w}])) ` +
          `or on (service_name) (0 * slo:sli_requests:rate${w}{service_name="demo", slo="availability"})`,
      );
      expect(recordOf(availability, RECORDED.sloErrorRatio[w].name).expr).toBe(
        `slo:sli_errors:rate${w}{service_name="demo", slo="availability"} / slo:sli_requests:rate${w}{service_name="demo", slo="availability"}`,
      );
      expect(recordOf(availability, RECORDED.sloBurnRate[w].name).expr).toBe(`slo:sli_error:ratio_rate${w}{service_name="demo", slo="availability"} / 0.001`);
    }
    // No rule averages ratios: avg_over_time only ever averages a rate, and both rates of a quotient alike.
    const all = groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(all.filter((e) => /avg_over_time\([^)]*ratio/.test(e))).toEqual([]);
    expect(recordOf(availability, RECORDED.sloErrorRatioPeriod.name).expr).toBe(
      'avg_over_time(slo:sli_errors:rate5m{service_name="demo", slo="availability"}[30d]) / ' +
        'avg_over_time(slo:sli_requests:rate5m{service_name="demo", slo="availability"}[30d])',
    );
  });

  it('counts slow requests for a latency SLO as all requests minus the bucket at the threshold', () => {
    expect(recordOf(latency, RECORDED.sloErrorRate['1h'].name).expr).toBe(
      'slo:sli_requests:rate1h{service_name="demo", slo="latency"} - on (service_name) ' +
        'sum by (service_name) (rate(http_server_request_duration_seconds_bucket{service_name="demo", le="0.5"}[1h]))',
    );
    // An integer bound is "1.0" when scraped and "1" over OTLP: both match.
    const checkout = sloRules(sloSpec).find((g) => g.name === sloGroup('checkout', 'latency'))!;
    expect(recordOf(checkout, RECORDED.sloErrorRate['5m'].name).expr).toContain('le=~"1\\\\.0|1"');
  });

  it('writes budgets and objectives decimal-safely', () => {
    expect(recordOf(availability, RECORDED.sloErrorBudget.name)).toMatchObject({ expr: 'vector(0.001)', labels: { service_name: 'demo', slo: 'availability' } });
    expect(recordOf(availability, RECORDED.sloObjective.name).expr).toBe('vector(0.999)');
    expect(recordOf(latency, RECORDED.sloErrorBudget.name).expr).toBe('vector(0.01)');
    expect(recordOf(availability, RECORDED.sloErrorBudgetRemaining.name).expr).toBe(
      '1 - (slo:sli_error:ratio_period{service_name="demo", slo="availability"} / 0.001)',
    );
    const checkout = sloRules(sloSpec).find((g) => g.name === sloGroup('checkout', 'availability'))!;
    expect(recordOf(checkout, RECORDED.sloErrorBudget.name).expr).toBe('vector(0.0005)');
    expect(alertOf(checkout, 'ErrorBudgetBurnFast').expr).toContain('> 0.0072');
  });

  it('has one page and one ticket alert per SLO, each covering both window pairs of its tier, without `for`', () => {
    const alerts = availability.rules.filter(isAlertRule);
    // No `for`: the short window of each pair already keeps an alert from flapping, and `for` only delays the page.
    expect(alerts.map((a) => [a.alert, a.severity, a.for])).toEqual([
      ['ErrorBudgetBurnFast', 'critical', undefined],
      ['ErrorBudgetBurnSlow', 'warning', undefined],
    ]);
    const ratio = (w: string) => `slo:sli_error:ratio_rate${w}{service_name="demo", slo="availability"}`;
    const pair = (long: string, seconds: number, short: string, threshold: string) =>
      `((${ratio(long)} > ${threshold}) and (${ratio(short)} > ${threshold})) and ` +
      `(((slo:sli_requests:rate${long}{service_name="demo", slo="availability"} * ${seconds}) >= 100) or ` +
      `(((slo:sli_errors:rate${long}{service_name="demo", slo="availability"} * ${seconds}) >= 2.5) and (${ratio(short)} >= 0.5)))`;
    expect(alertOf(availability, 'ErrorBudgetBurnFast').expr).toBe(`(${pair('1h', 3600, '5m', '0.0144')}) or (${pair('6h', 21600, '30m', '0.006')})`);
    expect(alertOf(availability, 'ErrorBudgetBurnSlow').expr).toBe(`(${pair('1d', 86400, '2h', '0.003')}) or (${pair('3d', 259200, '6h', '0.001')})`);
    const thresholds = (g: RuleGroup) => g.rules.filter(isAlertRule).flatMap((a) => [...a.expr.matchAll(/ratio_rate\w+\{[^}]*\} > ([\d.]+)\)/g)].map((m) => m[1]));
    const unique = (g: RuleGroup) => [...new Set(thresholds(g))];
    expect(unique(availability)).toEqual(['0.0144', '0.006', '0.003', '0.001']);
    expect(unique(latency)).toEqual(['0.144', '0.06', '0.03', '0.01']);
    // 28d and 7d periods: 13.44 × 0.01 and 3.36 × 0.001, no factor below 1 (it would fire with the SLO met) …
    const checkoutLatency = sloRules(sloSpec).find((g) => g.name === sloGroup('checkout', 'latency'))!;
    expect(unique(checkoutLatency)).toEqual(['0.1344', '0.056', '0.028', '0.01']);
    const payments = sloRules(sloSpec).find((g) => g.name === sloGroup('payments', 'availability'))!;
    expect(unique(payments)).toEqual(['0.00336', '0.0014', '0.001']);
    // … and a low-traffic guard of 0 requests (no outage clause: every window counts) when the spec turns it off.
    expect(alertOf(payments, 'ErrorBudgetBurnFast').expr).toContain('* 3600) >= 0)');
    expect(alertOf(payments, 'ErrorBudgetBurnFast').expr).not.toContain('>= 2.5');
    expect(BURN_RATE_POLICY).toHaveLength(4);
  });

  it('labels burn-rate alerts with the service and SLO, which Alertmanager inhibition compares', () => {
    for (const a of availability.rules.filter(isAlertRule)) expect(a.labels).toEqual({ service_name: 'demo', slo: 'availability' });
  });
});

/** A promtool test file of `promql_expr_test`s against the default spec's slo.yaml. */
function exprTests(inputSeries: { series: string; values: string }[], evalTime: string, expected: [string, string, number][]) {
  return {
    interval: '1m',
    input_series: inputSeries,
    promql_expr_test: expected.map(([record, slo, value]) => ({
      expr: `round(${record}{service_name="demo", slo="${slo}"}, 0.000001)`,
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
    writeFileSync(join(dir, name), toYaml({ rule_files: ['slo.yaml'], evaluation_interval: '1m', tests }));
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
    // At 60m the 1h window (left-open) holds the samples of minutes 1..60, i.e. the increases of minutes 2..60:
    // 29 minutes of the first phase and 30 of the second. Ratio = 29×10 / (29×100 + 30×900) = 290 / 29900
    // = 0.009699 — an average of the two phases' ratios would say 5%.
    // The counters have been running for a while (so rate()'s extrapolation treats both alike).
    const input = [count('200', '100000+90x30 103600+900x29'), count('500', '5000+10x30 5300+0x29')];
    expect(
      run('phases.test.yaml', [
        exprTests(input, '60m', [
          ['slo:sli_error:ratio_rate1h', 'availability', 0.009699],
          ['slo:sli_error:ratio_rate5m', 'availability', 0],
          ['slo:burn_rate:ratio_rate1h', 'availability', 9.698997], // 0.0096989966 / 0.001
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
