import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toYaml } from '../../src/output/yaml';
import { buildRuleFiles, renderRuleFile } from '../../src/alerts';
import { capturesWithoutError, covetpy, covetpyAvailability, gitNotesMemory } from '../../src/mixins';
import { resolveSpec } from '../../src/spec';
import { describeWithTools, runTool } from '../support/tools';

/**
 * SLIs whose bad events another counter counts: git-notes-memory's failed captures are among its captures
 * (`inTotal: true`), CovetPy's raised requests are counted apart from the handled ones (`inTotal: false`).
 */
const spec = resolveSpec({
  namespace: 'obs',
  services: [
    { name: 'covetpy', port: 8000, mixins: [covetpy()], slos: [{ name: 'availability', sli: covetpyAvailability(), objective: 99.9, period: '30d' }] },
    { name: 'memory', port: 9464, mixins: [gitNotesMemory()], slos: [{ name: 'captures', sli: capturesWithoutError(), objective: 99, period: '30d' }] },
  ],
});

const target = (service: string) => `job="${service}", instance="${service}:8080", service_name="${service}"`;
const requests = (values: string) => ({ series: `http_requests_total{${target('covetpy')}, method="GET", endpoint="/", status="200"}`, values });
const raised = (values: string) => ({ series: `http_requests_errors_total{${target('covetpy')}, method="GET", endpoint="/", error_type="ValueError"}`, values });
const captures = (values: string) => ({ series: `memories_captured_total{${target('memory')}, session_id="s1"}`, values });
const captureErrors = (values: string) => ({ series: `capture_errors_total{${target('memory')}, session_id="s1"}`, values });

function exprTests(service: string, slo: string, input: { series: string; values: string }[], expected: [string, number][]) {
  return {
    interval: '1m',
    input_series: input,
    promql_expr_test: expected.map(([record, value]) => ({
      expr: `round(${record}{service_name="${service}", slo="${slo}"}, 0.000001)`,
      eval_time: '30m',
      exp_samples: [{ labels: `{service_name="${service}", slo="${slo}"}`, value }],
    })),
  };
}

describeWithTools('SLIs with a separate bad-events counter (promtool)', ['promtool'], ({ promtool }) => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-sli2-'));
  const slo = buildRuleFiles(spec).find((f) => f.file === 'slo.yaml')!;
  writeFileSync(join(dir, 'slo.yaml'), toYaml(renderRuleFile(slo.groups)));
  const run = (name: string, tests: unknown[]) => {
    // Per-service groups before the shared windows before the alerts, as in the file: at one evaluation time each reads
    // what the one before it recorded (unordered, promtool may run the windows first and read a minute-old rate).
    const order = slo.groups.map((g) => g.name);
    writeFileSync(join(dir, name), toYaml({ rule_files: ['slo.yaml'], evaluation_interval: '1m', group_eval_order: order, tests }));
    return runTool(promtool, ['test', 'rules', name], { cwd: dir });
  };

  it('counted apart: 190 handled and 10 raised a minute is 200 requests and a ratio of 0.05', () => {
    const input = [requests('0+190x40'), raised('0+10x40')];
    expect(
      run('apart.test.yaml', [
        exprTests('covetpy', 'availability', input, [
          ['slo:sli_requests:rate5m', 3.333333], // 1000 / 300 s
          ['slo:sli_errors:rate5m', 0.166667], // 50 / 300 s
          ['slo:sli_error:ratio_rate5m', 0.05],
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('counted apart: every request raising (no handled series at all) is a ratio of 1, not a gap', () => {
    expect(run('all-failing.test.yaml', [exprTests('covetpy', 'availability', [raised('0+10x40')], [['slo:sli_error:ratio_rate5m', 1]])])).toMatch(/SUCCESS/);
  });

  it('counted apart: no raised series yet is a ratio of 0, not a gap', () => {
    expect(run('clean.test.yaml', [exprTests('covetpy', 'availability', [requests('0+100x40')], [['slo:sli_error:ratio_rate5m', 0]])])).toMatch(/SUCCESS/);
  });

  it('counted among the total: 200 captures with 4 failed a minute is a ratio of 0.02 (not 4 of 204)', () => {
    const input = [captures('0+200x40'), captureErrors('0+4x40')];
    expect(
      run('among.test.yaml', [
        exprTests('memory', 'captures', input, [
          ['slo:sli_requests:rate5m', 3.333333],
          ['slo:sli_error:ratio_rate5m', 0.02],
          ['slo:burn_rate:ratio_rate5m', 2], // 0.02 / 0.01
        ]),
      ]),
    ).toMatch(/SUCCESS/);
  });

  it('counted among the total: no failed-capture series yet is a ratio of 0', () => {
    expect(run('no-errors.test.yaml', [exprTests('memory', 'captures', [captures('0+200x40')], [['slo:sli_error:ratio_rate5m', 0]])])).toMatch(/SUCCESS/);
  });

  it('fails when a number is off (so the checks above can fail)', () => {
    expect(() =>
      run('wrong.test.yaml', [exprTests('memory', 'captures', [captures('0+200x40'), captureErrors('0+4x40')], [['slo:sli_error:ratio_rate5m', 0.0196]])]),
    ).toThrow(/slo:sli_error:ratio_rate5m/);
  });
});
