import { buildRuleFiles } from '../../src/alerts';
import { buildArtifacts } from '../../src/synth/artifacts';
import { ciPipelineDurationWithin, ciPipelineSuccess, galway } from '../../src/mixins/galway';
import { specCatalog } from '../../src/mixin/compose';
import { resolveSpec, type StackSpecInput } from '../../src/spec';
import { alertsWithoutRunbookPage, dashboardQueries, mixinAlerts, mixinGroups, panelTitles, promtoolSuite, recordingRuleSuite } from './support';

/** Galway as its design describes it (../shared/seeds/003_*): scrape job jp-spec-kit, the two CI SLOs. */
const input = (config: Parameters<typeof galway>[0] = {}, slos = true): StackSpecInput => ({
  namespace: 'monitoring',
  services: [
    {
      name: 'jp-spec-kit',
      port: 9090,
      host: 'host.docker.internal',
      scrapeInterval: '15s',
      mixins: [galway(config)],
      ...(slos
        ? {
            slos: [
              { name: 'ci-success', sli: ciPipelineSuccess(), objective: 99, period: '30d' },
              { name: 'ci-duration', sli: ciPipelineDurationWithin(600), objective: 99, period: '30d' },
            ],
          }
        : {}),
    },
  ],
});
const spec = resolveSpec(input());

describe('the galway mixin', () => {
  it('defines the 36 metrics of the document (plus ci_test_coverage_percent), with their types', () => {
    const defs = [...specCatalog(spec).values()].filter((e) => e.mixin === 'galway').map(({ def }) => def);
    expect(defs).toHaveLength(36);
    const byName = Object.fromEntries(defs.map((d) => [d.name, d]));
    expect(byName.backlog_task_duration_seconds?.buckets).toEqual([60, 300, 900, 3600, 86400]);
    expect(byName.security_scan_duration_seconds?.type).toBe('summary');
    expect(byName.backlog_acceptance_criteria_total?.type).toBe('gauge');
    expect(byName.ci_test_count?.type).toBe('gauge');
    expect(byName.backlog_blocked_tasks?.labelNames).toEqual(['reason', 'labels']);
    expect(byName.ci_pipeline_runs_total?.labelNames).toEqual(['exported_job', 'status']);
  });

  it('puts the alerts in the critical group (1m) and the warning group (5m), as the document does', () => {
    expect(mixinGroups(spec, 'galway')).toEqual([
      { name: 'obskit.galway.recording', interval: '1m', rules: 6 },
      { name: 'obskit.galway.jp-spec-kit.critical_alerts', interval: '1m', rules: 3 },
      { name: 'obskit.galway.jp-spec-kit.warning_alerts', interval: '5m', rules: 3 },
    ]);
    expect(mixinAlerts(spec, 'galway').map((a) => [a.alert, a.severity, a.for ?? '0m'])).toEqual([
      ['HighSecurityFindings', 'critical', '0m'],
      ['CIPipelineFailureRate', 'critical', '5m'],
      ['DeploymentBlocked', 'critical', '1h'],
      ['StaleTasksAccumulating', 'warning', '1d'],
      ['LowTestCoverage', 'warning', '1h'],
      ['SlowCIPipeline', 'warning', '30m'],
    ]);
    expect(alertsWithoutRunbookPage(mixinAlerts(spec, 'galway'))).toEqual([]);
  });

  it('makes the group intervals configurable', () => {
    const custom = resolveSpec(input({ criticalInterval: '30s', warningInterval: '10m' }));
    expect(mixinGroups(custom, 'galway').map((g) => g.interval)).toEqual(['1m', '30s', '10m']);
  });

  it("carries the document's thresholds", () => {
    const expr = Object.fromEntries(mixinAlerts(spec, 'galway').map((a) => [a.alert, a.expr]));
    expect(expr.HighSecurityFindings).toBe('sum by (service_name) (increase(security_findings_total{service_name="jp-spec-kit", severity="critical"}[1h])) > 0');
    expect(expr.CIPipelineFailureRate).toBe('service_name:ci_pipeline_runs_failure:ratio_rate10m{service_name="jp-spec-kit"} > 0.5');
    expect(expr.DeploymentBlocked).toBe('sum by (service_name) (backlog_blocked_tasks{service_name="jp-spec-kit", labels=~".*deploy.*"}) > 0');
    expect(expr.StaleTasksAccumulating).toBe('sum by (service_name) (backlog_stale_tasks{service_name="jp-spec-kit", days_old_bucket="7+"}) > 10');
    expect(expr.LowTestCoverage).toBe('avg by (service_name) (ci_test_coverage_percent{service_name="jp-spec-kit"}) < 80');
    expect(expr.SlowCIPipeline).toBe('service_name_exported_job:ci_pipeline_duration_seconds:p95_rate1h{service_name="jp-spec-kit"} > 600');
  });

  it('has the three dashboards with every panel the document lists', () => {
    const t = panelTitles(spec, 'galway-');
    expect(t['galway-developer-productivity.json']).toEqual(expect.arrayContaining(['Task Throughput', 'Lead Time Distribution', 'Work In Progress', 'Blocked Tasks', 'Sprint Burndown']));
    expect(t['galway-cicd-health.json']).toEqual(expect.arrayContaining(['Pipeline Success Rate', 'Pipeline Duration P95', 'Test Flakiness', 'Security Findings Trend', 'DORA Metrics']));
    expect(t['galway-security.json']).toEqual(expect.arrayContaining(['Scan Coverage', 'False Positive Rate', 'Tool Effectiveness', 'OWASP Top 10 Distribution']));
  });

  it('shows every metric of its catalog and every recorded series on some dashboard', () => {
    // A metric may reach its panel through a recording rule (throughput, p95): rule expressions count too.
    const rules = buildRuleFiles(spec).filter((f) => f.file === 'galway.yaml').flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.expr)));
    const queries = [...dashboardQueries(spec, 'galway-'), ...rules].join('\n');
    for (const { def, mixin } of specCatalog(spec).values()) if (mixin === 'galway') expect(queries).toContain(def.name);
    for (const name of ['ci_pipeline_runs_success:ratio_rate24h', 'ci_pipeline_runs_failure:ratio_rate10m', 'p95_rate1h', 'increase1d', 'mean7d', 'mean5m']) {
      expect(queries).toContain(name);
    }
  });

  it('synthesizes: rules and dashboards pass obskit’s checks', () => {
    const paths = buildArtifacts(spec).map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/rules/galway.yaml', 'dist/dashboards/galway-cicd-health.json']));
  });

  it.each([
    [{ pipelineP95Seconds: 5000 }, 'services[0].mixins[0].pipelineP95Seconds', 'below 3600'],
    [{ criticalInterval: 'soon' }, 'services[0].mixins[0].criticalInterval', 'Prometheus duration'],
    [{ coverageMinPercent: 0 }, 'services[0].mixins[0].coverageMinPercent', 'above 0'],
  ])('refuses bad config %j, naming %s', (config, path, message) => {
    expect(() => resolveSpec(input(config as never, false))).toThrow(path);
    expect(() => resolveSpec(input(config as never, false))).toThrow(message);
  });
});

promtoolSuite('galway rules against the pinned promtool', spec, ['galway.yaml', 'slo.yaml']);

const g = 'job="jp-spec-kit", instance="jp-spec-kit:9090", service_name="jp-spec-kit"';
recordingRuleSuite('galway recording rules against the pinned promtool', spec, 'galway.yaml', [
  {
    name: 'success and failure shares of CI runs',
    // Equal counts: the ratios are exactly 0.5 (promtool compares floats exactly; 3:1 gives 0.7500000000000001).
    series: [[`ci_pipeline_runs_total{${g}, exported_job="test", status="success"}`, '0+2x30'], [`ci_pipeline_runs_total{${g}, exported_job="test", status="failure"}`, '0+2x30']],
    evalTime: '30m',
    expect: [['service_name:ci_pipeline_runs_success:ratio_rate24h{service_name="jp-spec-kit"}', 0.5], ['service_name:ci_pipeline_runs_failure:ratio_rate10m{service_name="jp-spec-kit"}', 0.5]],
  },
  {
    name: 'no failure series yet: the failure share is 0, not missing',
    series: [[`ci_pipeline_runs_total{${g}, exported_job="test", status="success"}`, '0+3x30']],
    evalTime: '30m',
    expect: [['service_name:ci_pipeline_runs_failure:ratio_rate10m{service_name="jp-spec-kit"}', 0]],
  },
  {
    name: 'tasks completed per day, and mean task duration per transition',
    series: [
      [`backlog_task_completed_total{${g}, priority="high", labels="backend", assignee="galway", duration_bucket="1h"}`, '0+1x60'],
      [`backlog_task_duration_seconds_sum{${g}, state_transition="To Do -> In Progress"}`, '0+600x60'],
      [`backlog_task_duration_seconds_count{${g}, state_transition="To Do -> In Progress"}`, '0+2x60'],
    ],
    evalTime: '60m',
    expect: [
      ['service_name:backlog_task_completed:increase1d{service_name="jp-spec-kit"}', 60],
      ['service_name_state_transition:backlog_task_duration_seconds:mean5m{service_name="jp-spec-kit", state_transition="To Do -> In Progress"}', 300],
      ['service_name_state_transition:backlog_task_duration_seconds:mean7d{service_name="jp-spec-kit", state_transition="To Do -> In Progress"}', 300],
    ],
  },
]);
