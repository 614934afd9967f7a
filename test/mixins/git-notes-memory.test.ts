import { buildArtifacts } from '../../src/synth/artifacts';
import { capturesWithoutError, gitNotesMemory, hookWithinTimeout } from '../../src/mixins/git-notes-memory';
import { specCatalog } from '../../src/mixin/compose';
import { resolveSpec, type StackSpecInput } from '../../src/spec';
import { alertsWithoutRunbookPage, dashboardQueries, mixinAlerts, panelTitles, promtoolSuite, recordingRuleSuite } from './support';

/** git-notes-memory as its document describes it (../shared/seeds/000_*), with a hook-timeout SLO. */
const input = (config: Parameters<typeof gitNotesMemory>[0] = {}, slos = true): StackSpecInput => ({
  namespace: 'monitoring',
  services: [
    {
      name: 'git-notes-memory',
      port: 9464,
      host: 'host.docker.internal',
      mixins: [gitNotesMemory(config)],
      ...(slos
        ? {
            slos: [
              { name: 'user-prompt-within-timeout', sli: hookWithinTimeout('user_prompt', 2000), objective: 99, period: '30d' },
              { name: 'captures-without-error', sli: capturesWithoutError(), objective: 99, period: '30d' },
            ],
          }
        : {}),
    },
  ],
});
const spec = resolveSpec(input());

describe('the git-notes-memory mixin', () => {
  it('defines the metrics of the document, each with session_id, latency buckets from the hook timeouts', () => {
    const defs = [...specCatalog(spec).values()].filter((e) => e.mixin === 'git-notes-memory').map(({ def }) => def);
    expect(defs.map((d) => [d.name, d.type, d.labelNames.join(',')])).toEqual([
      ['memory_capture_duration_ms', 'histogram', 'session_id,status'],
      ['memory_search_duration_ms', 'histogram', 'session_id,status'],
      ['memory_embed_duration_ms', 'histogram', 'session_id,status'],
      ['memory_index_duration_ms', 'histogram', 'session_id,status'],
      ['memories_captured_total', 'counter', 'session_id'],
      ['memory_search_total', 'counter', 'session_id'],
      ['capture_errors_total', 'counter', 'session_id'],
      ['hook_execution_duration_ms', 'histogram', 'session_id,hook'],
      ['hook_invocations_total', 'counter', 'session_id,hook'],
      ['hook_errors_total', 'counter', 'session_id,hook,error'],
      ['hook_timeout_pct_used', 'gauge', 'session_id,hook'],
      ['observability_metrics_count', 'gauge', 'session_id'],
      ['observability_export_errors_total', 'counter', 'session_id'],
      ['observability_memory_bytes', 'gauge', 'session_id'],
    ]);
    for (const d of defs.filter((x) => x.type === 'histogram')) {
      expect(d.buckets).toEqual([1, 2, 5, 10, 25, 50, 100, 250, 500, 750, 1000, 2000, 5000, 10000, 15000, 30000]);
    }
  });

  it('alerts when a hook uses more than 80% of its timeout, with a runbook page', () => {
    const alerts = mixinAlerts(spec, 'git-notes-memory');
    expect(alerts.map((a) => [a.alert, a.severity, a.for, a.expr])).toEqual([
      ['GitNotesMemoryHookNearTimeout', 'warning', '5m', 'max by (service_name, hook) (hook_timeout_pct_used{service_name="git-notes-memory"}) > 80'],
    ]);
    expect(alertsWithoutRunbookPage(alerts)).toEqual([]);
  });

  it('has the two dashboards with every panel the document lists, and a session_id variable', () => {
    const titles = panelTitles(spec, 'git-notes-memory-');
    expect(titles['git-notes-memory-operations.json']).toEqual(
      expect.arrayContaining(['Capture Latency', 'Search Latency', 'Operations/min', 'Error Rate', 'Hook Timeout %', 'Active Sessions', 'Session Details']),
    );
    expect(titles['git-notes-memory-hooks.json']).toEqual(
      expect.arrayContaining(['Hook Latency by Type', 'Timeout Warnings', 'Invocations/min', 'Error Rate by Hook']),
    );
    const artifacts = buildArtifacts(spec);
    for (const file of ['git-notes-memory-operations.json', 'git-notes-memory-hooks.json']) {
      const model = JSON.parse(artifacts.find((a) => a.path === `dist/dashboards/${file}`)!.content);
      expect(model.templating.list.map((v: { name: string }) => v.name)).toContain('session_id');
    }
  });

  it('uses the document’s panel types: heatmap, gauge, bar chart, tables, stats', () => {
    const model = (file: string) => JSON.parse(buildArtifacts(spec).find((a) => a.path === `dist/dashboards/${file}`)!.content);
    const typeOf = (file: string, title: string) => model(file).panels.find((p: { title: string }) => p.title === title)?.type;
    expect(typeOf('git-notes-memory-hooks.json', 'Hook Latency by Type')).toBe('heatmap');
    expect(typeOf('git-notes-memory-hooks.json', 'Invocations/min')).toBe('barchart');
    expect(typeOf('git-notes-memory-operations.json', 'Error Rate')).toBe('gauge');
    expect(typeOf('git-notes-memory-operations.json', 'Hook Timeout %')).toBe('table');
    expect(typeOf('git-notes-memory-operations.json', 'Active Sessions')).toBe('stat');
  });

  it('queries every metric of its catalog and its recorded means on some dashboard', () => {
    const queries = dashboardQueries(spec, 'git-notes-memory-').join('\n');
    for (const { def, mixin } of specCatalog(spec).values()) if (mixin === 'git-notes-memory') expect(queries).toContain(def.name);
    expect(queries).toContain('service_name:memory_capture_duration_ms:mean5m');
    expect(queries).toContain('service_name:memory_search_duration_ms:mean5m');
  });

  it('computes each hook’s timeout rate at that hook’s own timeout bucket', () => {
    const queries = dashboardQueries(spec, 'git-notes-memory-hooks');
    const at = (hook: string) => queries.find((q) => q.includes(`hook="${hook}", le=`));
    expect(at('user_prompt')).toContain('le=~"2000\\\\.0|2000"');
    expect(at('pre_compact')).toMatch(/15000/);
  });

  it.each([
    [{ userPromptTimeoutMs: 1500 }, 'services[0].mixins[0].userPromptTimeoutMs', 'must be one of latencyBucketsMs'],
    [{ hookTimeoutWarnPct: 120 }, 'services[0].mixins[0].hookTimeoutWarnPct', 'below 100'],
    [{ latencyBucketsMs: [5, 1] }, 'services[0].mixins[0].latencyBucketsMs', 'ascending'],
  ])('refuses bad config %j, naming %s', (config, path, message) => {
    // Without SLOs: with one, the mechanism builds the metrics (and throws without a path) before checking config.
    expect(() => resolveSpec(input(config as never, false))).toThrow(path);
    expect(() => resolveSpec(input(config as never, false))).toThrow(message);
  });

  it('refuses a hook SLO whose timeout is not a bucket', () => {
    const bad: StackSpecInput = { ...input(), services: [{ ...input().services![0]!, slos: [{ name: 'x', sli: hookWithinTimeout('stop', 4000), objective: 99, period: '30d' }] }] };
    expect(() => resolveSpec(bad)).toThrow(/4000/);
  });
});

promtoolSuite('git-notes-memory rules against the pinned promtool', spec, ['git-notes-memory.yaml', 'slo.yaml']);

const n = 'job="git-notes-memory", instance="host:9464", service_name="git-notes-memory", session_id="s1", status="success"';
recordingRuleSuite('git-notes-memory recording rules against the pinned promtool', spec, 'git-notes-memory.yaml', [
  {
    name: 'mean capture and search latency over 5m, in ms ("/memory:health --timing")',
    series: [
      [`memory_capture_duration_ms_sum{${n}}`, '0+600x10'],
      [`memory_capture_duration_ms_count{${n}}`, '0+6x10'],
      [`memory_search_duration_ms_sum{${n}}`, '0+120x10'],
      [`memory_search_duration_ms_count{${n}}`, '0+10x10'],
    ],
    evalTime: '10m',
    expect: [['service_name:memory_capture_duration_ms:mean5m{service_name="git-notes-memory"}', 100], ['service_name:memory_search_duration_ms:mean5m{service_name="git-notes-memory"}', 12]],
  },
]);
