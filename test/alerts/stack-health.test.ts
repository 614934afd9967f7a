import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toYaml } from '../../src/output/yaml';
import { isAlertRule, isNeverSilent, type AlertRule, type RuleGroup } from '../../src/alerts/model';
import { expandLabelTemplate, renderRuleFile, renderRuleTestFile } from '../../src/alerts/render';
import { mixinRules } from '../../src/alerts';
import { resolveSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { describeWithTools, runTool } from '../support/tools';
import { fullSpec } from '../fixtures/full-spec';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REPO = resolve(__dirname, '../..');
const spec = resolveSpec(stack);
const groups = mixinRules(spec, 'stack-health').filter((g) => g.name === 'obskit.stack-health');
const alerts = groups.flatMap((g) => g.rules).filter(isAlertRule);
const alert = (name: string): AlertRule => {
  const found = alerts.find((a) => a.alert === name);
  if (!found) throw new Error(`no alert ${name}`);
  return found;
};

describe('the stack-health mixin', () => {
  it('adds ServiceDown for every observed service, written once: each scraped service expected as data', () => {
    const groups = mixinRules(spec, 'stack-health');
    const expected = groups.find((g) => g.name === 'obskit.stack-health.expected-services')!;
    expect(expected.rules.filter((r) => !isAlertRule(r))).toEqual([{ record: 'service_name:up:expected', expr: 'vector(1)', labels: { service_name: 'demo', class: '3m' } }]);
    const down = groups.find((g) => g.name === 'obskit.stack-health.service-down')!;
    expect(down.rules.filter(isAlertRule).map((a) => [a.alert, a.for, a.expr.includes('service_name:up:expected{class="3m"}')])).toEqual([['ServiceDown', '3m', true]]);
  });
});

describe('stackHealthRules', () => {
  it('has the alerts that watch the stack', () => {
    expect(alerts.map((a) => a.alert)).toEqual([
      'Watchdog',
      'TargetDown',
      'PrometheusRuleEvaluationFailures',
      'PrometheusNotificationsFailing',
      'AlertmanagerFailedToSendAlerts',
      'OtelCollectorRefusingSpans',
      'OtelCollectorRefusingMetricPoints',
      'OtelCollectorRefusingLogRecords',
      'OtelCollectorFailingToSendSpans',
      'OtelCollectorFailingToSendMetricPoints',
      'OtelCollectorFailingToSendLogRecords',
      'LokiDiscardingLogLines',
      'TempoDiscardingSpans',
    ]);
  });

  it('computes failure ratios as failures over attempts (Prometheus 3.15 counts only delivered alerts as sent)', () => {
    expect(alert('PrometheusNotificationsFailing').expr).toBe(
      '(sum by (job, instance, service_name, alertmanager) (rate(prometheus_notifications_errors_total[5m])) / ' +
        '(sum by (job, instance, service_name, alertmanager) (rate(prometheus_notifications_sent_total[5m])) + ' +
        'sum by (job, instance, service_name, alertmanager) (rate(prometheus_notifications_errors_total[5m])))) > 0.01',
    );
    expect(alert('AlertmanagerFailedToSendAlerts').expr).toBe(
      '(sum by (job, instance, service_name, integration) (rate(alertmanager_notifications_failed_total[5m])) / ' +
        'sum by (job, instance, service_name, integration) (rate(alertmanager_notifications_total[5m]))) > 0.01',
    );
    expect(alert('LokiDiscardingLogLines').expr).toContain('rate(loki_discarded_samples_total[5m])');
    expect(alert('TempoDiscardingSpans').expr).toContain('rate(tempo_distributor_spans_received_total[5m])');
  });

  it('makes the Watchdog an always-firing alert of severity none', () => {
    expect(alert('Watchdog')).toMatchObject({ expr: 'vector(1)', severity: 'none' });
    expect(alert('Watchdog').for).toBeUndefined();
  });

  it('gives every other alert a severity a person acts on, and a silent example', () => {
    for (const a of alerts.filter((x) => x.alert !== 'Watchdog')) {
      expect(['critical', 'warning', 'info']).toContain(a.severity);
      expect(isNeverSilent(a.examples.silent)).toBe(false);
    }
  });

  it('links every alert to its runbook under the spec’s base URL, and every runbook page exists', () => {
    for (const a of alerts) {
      expect(a.runbookUrl).toBe(`${spec.alerting.runbookBaseUrl}/${a.alert}.md`);
      const page = join(REPO, 'docs', 'runbooks', `${a.alert}.md`);
      expect(existsSync(page) ? page : `missing ${page}`).toBe(page);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^# ${a.alert}\\n`));
    }
    const custom = mixinRules(fullSpec, 'stack-health').flatMap((g) => g.rules).filter(isAlertRule);
    expect(custom[0]!.runbookUrl).toBe('https://runbooks.example.com/obskit/Watchdog.md');
  });

  it('selects no metric by a regex on __name__ and uses the service_name label, not service', () => {
    for (const a of alerts) {
      expect(a.expr).not.toMatch(/__name__/);
      expect(a.expr).not.toMatch(/\bservice\b(?!_)/);
    }
  });
});

describe('renderRuleFile', () => {
  const file = renderRuleFile(groups) as Obj;

  it('renders alerts with severity, summary, description and runbook_url', () => {
    expect(file.groups).toHaveLength(1);
    expect(file.groups[0].name).toBe('obskit.stack-health');
    expect(file.groups[0].rules[1]).toEqual({
      alert: 'TargetDown',
      expr: 'up == 0',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: alert('TargetDown').summary,
        description: alert('TargetDown').description,
        runbook_url: `${spec.alerting.runbookBaseUrl}/TargetDown.md`,
      },
    });
  });

  it('renders recording rules, group intervals, extra labels and keep_firing_for', () => {
    const custom: RuleGroup[] = [
      {
        name: 'g',
        interval: '30s',
        rules: [
          { record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { team: 'platform' } },
          { ...alert('TargetDown'), keepFiringFor: '10m', labels: { team: 'platform' } },
        ],
      },
    ];
    expect(renderRuleFile(custom)).toEqual({
      groups: [
        {
          name: 'g',
          interval: '30s',
          rules: [
            { record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { team: 'platform' } },
            expect.objectContaining({ keep_firing_for: '10m', labels: { team: 'platform', severity: 'warning' } }),
          ],
        },
      ],
    });
  });
});

describe('renderRuleTestFile', () => {
  const tests = renderRuleTestFile(groups, ['stack-health.yaml']) as Obj;

  it('has a firing case for every alert and a silent case for every alert that can be silent', () => {
    const names = (tests.tests as Obj[]).map((t) => t.name as string);
    for (const a of alerts) {
      expect(names.filter((n) => n.startsWith(`${a.alert} fires:`))).toHaveLength(1);
      expect(names.filter((n) => n.startsWith(`${a.alert} stays silent:`))).toHaveLength(a.alert === 'Watchdog' ? 0 : 1);
    }
  });

  it('expects the rule’s labels and annotations on firing alerts', () => {
    const targetDown = (tests.tests as Obj[]).find((t) => t.name.startsWith('TargetDown fires'))!;
    expect(targetDown.alert_rule_test[0].exp_alerts).toEqual([
      {
        exp_labels: { job: 'demo', instance: 'demo:8080', service_name: 'demo', severity: 'warning' },
        exp_annotations: {
          summary: 'Prometheus cannot scrape demo at demo:8080.',
          description: expect.stringContaining('The scrape target demo:8080 of job demo has been down'),
          runbook_url: `${spec.alerting.runbookBaseUrl}/TargetDown.md`,
        },
      },
    ]);
  });

  it('refuses to guess a template it cannot expand', () => {
    expect(expandLabelTemplate('{{ $labels.job }} at {{$labels.instance}}', { job: 'a', instance: 'b' }, 'x')).toBe('a at b');
    expect(() => expandLabelTemplate('{{ $value }}', {}, 'X examples')).toThrow(/X examples/);
  });
});

describeWithTools('stack-health rules against the pinned promtool', ['promtool'], ({ promtool }) => {
  const write = (rules: readonly RuleGroup[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'obskit-rules-'));
    writeFileSync(join(dir, 'stack-health.yaml'), toYaml(renderRuleFile(rules)));
    writeFileSync(join(dir, 'stack-health.test.yaml'), toYaml(renderRuleTestFile(rules, ['stack-health.yaml'])));
    return dir;
  };
  const checkRules = (dir: string) => runTool(promtool, ['check', 'rules', join(dir, 'stack-health.yaml')]);
  const testRules = (dir: string) => runTool(promtool, ['test', 'rules', 'stack-health.test.yaml'], { cwd: dir });


  it('passes promtool check rules', () => {
    expect(checkRules(write(groups))).toMatch(new RegExp(`SUCCESS: ${alerts.length} rules found`));
  });

  it('passes promtool test rules: every alert fires on its firing example and stays silent on its silent one', () => {
    expect(testRules(write(groups))).toMatch(/SUCCESS/);
  });

  it('fails when an alert would fire with other labels than its example expects', () => {
    const changed = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) => (isAlertRule(r) && r.alert === 'TargetDown' ? { ...r, severity: 'critical' as const } : r)),
    }));
    // The test file comes from the original rules, so it still expects severity=warning.
    const dir = write(groups);
    writeFileSync(join(dir, 'stack-health.yaml'), toYaml(renderRuleFile(changed)));
    expect(() => testRules(dir)).toThrow(/TargetDown/);
  });

  it('fails when an alert fires on its silent example', () => {
    const looser = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        isAlertRule(r) && r.alert === 'PrometheusNotificationsFailing' ? { ...r, expr: r.expr.replace('> 0.01', '> 0.001') } : r,
      ),
    }));
    const dir = write(groups);
    writeFileSync(join(dir, 'stack-health.yaml'), toYaml(renderRuleFile(looser)));
    expect(() => testRules(dir)).toThrow(/PrometheusNotificationsFailing stays silent/);
  });
});
