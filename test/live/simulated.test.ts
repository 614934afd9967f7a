/**
 * The simulator's live test (issue 11): the four systems of test/fixtures/systems-spec.ts, played by the simulator
 * (src/sdk/simulate, fed the catalog synth would write for them: src/simulate/catalog.ts), scraped by the pinned
 * Prometheus with the generated config and rule files. Every recording rule and every Prometheus query of every
 * dashboard those systems get must return data; the exceptions are listed below with their reason.
 *
 * Like test/live/pipeline.test.ts: real programs on loopback, configs rendered by synth's renderers with a context
 * that changes only hosts, ports and paths (support/stack.ts), 1s scrape and evaluation intervals through the spec,
 * every process in its own group, stopped by the last test and in afterAll.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusArgs } from '../../src/config/prometheus';
import { renderConfigFiles } from '../../src/config/render-all';
import { buildDashboards } from '../../src/dashboards';
import { panelsOf, substituteVariables } from '../../src/dashboards/check';
import { renderedRuleFiles, ruleFiles } from '../../src/alerts';
import { isAlertRule, type RecordingRule } from '../../src/alerts/model';
import type { StackSpec } from '../../src/spec';
import { simulationCatalog } from '../../src/simulate/catalog';
import { MAX_LABEL_SETS } from '../../src/sdk/simulate/simulator';
import { systemsSpecInput } from '../fixtures/systems-spec';
import { describeWithTools } from '../support/tools';
import { PrometheusApi, waitFor, type Series } from './support/api';
import { freePorts, groupAlive, Processes, type Managed, waitUntilReady } from './support/processes';
import { liveContext, livePorts, REPO, resolve } from './support/stack';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SYSTEMS = ['zephyr-app', 'covetpy-service', 'jp-spec-kit', 'git-notes-memory'] as const;

/**
 * Queries that may legitimately be empty, by the series they read, and why. Any other empty query fails the suite,
 * and so does any panel none of whose queries has data, unless all of its queries are listed here.
 */
const LEGITIMATELY_EMPTY: readonly { metric: string; reason: string }[] = [
  {
    metric: 'ALERTS',
    reason:
      'no alert was pending or firing: ALERTS has series only then, and these systems\' alerts need their `for` (minutes) ' +
      'of sustained breach; each alert fires in its promtool examples (test/alerts), and test/live/pipeline.test.ts shows ' +
      'ALERTS panels with data once alerts fire',
  },
];
const legitimatelyEmpty = (expr: string) => LEGITIMATELY_EMPTY.find((e) => new RegExp(`\\b${e.metric}\\b`).test(expr));

const INTERVALS = { __rate_interval: '1m', __interval: '15s', __range: '1h', __auto: '1m' };

describeWithTools('live: the four systems played by the simulator, every panel and recording rule with data', ['prometheus'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let spec: StackSpec;
  let prom: PrometheusApi;
  let simulator: Managed;
  let started = 0;
  const summary: { queries?: number; rules?: number; panels?: number; exceptions?: string[] } = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-sim-'));
    const pool = await freePorts(24);
    let next = 0;
    const ports = livePorts(() => pool[next++]!);
    const servicePorts = Object.fromEntries(SYSTEMS.map((s) => [s, pool[next++]!]));
    const ctx = liveContext(ports, dir);
    spec = resolve({ ...systemsSpecInput((s) => servicePorts[s]!), scrapeInterval: '1s', evaluationInterval: '1s' });

    mkdirSync(ctx.paths.prometheusRules, { recursive: true });
    for (const [file, content] of Object.entries(renderedRuleFiles(spec))) writeFileSync(join(ctx.paths.prometheusRules, file), content);
    const files = { prometheus: join(dir, 'prometheus.yml'), promData: join(dir, 'prometheus-data'), catalog: join(dir, 'catalog.json') };
    writeFileSync(files.prometheus, renderConfigFiles(spec, ctx).prometheus);
    writeFileSync(files.catalog, JSON.stringify(simulationCatalog(spec)));

    prom = new PrometheusApi(`http://127.0.0.1:${ports.prometheus.http}`);
    const prometheus = procs.start('prometheus', tools.prometheus, prometheusArgs(spec, ctx, { configFile: files.prometheus, dataDir: files.promData }));
    await waitUntilReady(prometheus, `${prom.base}/-/ready`);
    simulator = procs.start('simulator', process.execPath, ['--import', 'tsx', join('src', 'sdk', 'simulate', 'main.ts')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        SIMULATE: 'all',
        SIMULATE_CATALOG: files.catalog,
        SIMULATE_CYCLE_SECONDS: '20',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      },
    });
    for (const s of SYSTEMS) await waitUntilReady(simulator, `http://127.0.0.1:${servicePorts[s]}/health/ready`);
    started = Date.now();
  }, 120_000);

  afterAll(async () => {
    await procs.stopAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (summary.queries !== undefined) {
      process.stderr.write(
        `simulated systems: ${summary.queries} dashboard queries (${summary.panels} panels) and ${summary.rules} recording rules run; ` +
          `empty (legitimately):\n${(summary.exceptions ?? []).map((e) => `  ${e}`).join('\n')}\n`,
      );
    }
  }, 30_000);

  it('serves every metric of every service\'s mixins, each with bounded label sets; Prometheus scrapes all four', async () => {
    const catalog = simulationCatalog(spec);
    expect(catalog.services.map((s) => s.name)).toEqual([...SYSTEMS]);
    for (const service of catalog.services) {
      const text = await (await fetch(`http://127.0.0.1:${service.port}${service.metricsPath}`)).text();
      const typed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      expect({ service: service.name, missing: service.metrics.map((m) => m.name).filter((n) => !typed.has(n)) }).toEqual({ service: service.name, missing: [] });
      for (const metric of service.metrics) {
        // One line per label set: the `_count` of a histogram or summary, the sample itself otherwise.
        const series = metric.type === 'histogram' || metric.type === 'summary' ? `${metric.name}_count` : metric.name;
        const lines = text.split('\n').filter((l) => l.startsWith(`${series}{`) || l.startsWith(`${series} `));
        expect({ metric: metric.name, some: lines.length > 0, bounded: lines.length <= MAX_LABEL_SETS }).toEqual({ metric: metric.name, some: true, bounded: true });
        for (const label of metric.labelNames) {
          const seen = new Set(lines.map((l) => new RegExp(`[{,]${label}="([^"]*)"`).exec(l)?.[1]));
          expect({ metric: metric.name, label, outside: [...seen].filter((v) => !metric.labelValues[label]!.includes(v!)) }).toEqual({ metric: metric.name, label, outside: [] });
        }
      }
    }
    const targets = await waitFor('the four services scraped', async () => {
      const t = (await prom.targets()).filter((x) => (SYSTEMS as readonly string[]).includes(x.labels.job ?? ''));
      return t.length === SYSTEMS.length && t.every((x) => x.health === 'up') ? t : undefined;
    }, 20_000);
    expect(targets.map((t) => t.labels.job).sort()).toEqual([...SYSTEMS].sort());
  });

  it('every rule evaluates without error, and every recording rule returns data', async () => {
    const expected = ruleFiles(spec).flatMap((f) => f.groups.flatMap((g) => g.rules));
    const recording = expected.filter((r): r is RecordingRule => !isAlertRule(r));
    const selectorOf = (r: RecordingRule) => `${r.record}{${Object.entries(r.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
    // Galway's recording group evaluates every minute (its document's interval): wait for its first evaluation.
    const empty = await waitFor('every recording rule to return data', async () => {
      const missing: string[] = [];
      for (const r of recording) if ((await prom.query(selectorOf(r))).length === 0) missing.push(selectorOf(r));
      return missing.length === 0 ? missing : undefined;
    }, 100_000, 2000).catch(async () => {
      const missing: string[] = [];
      for (const r of recording) if ((await prom.query(selectorOf(r))).length === 0) missing.push(selectorOf(r));
      return missing;
    });
    expect(empty).toEqual([]);
    const rules = (await prom.rules()).flatMap((g) => g.rules);
    expect(rules).toHaveLength(expected.length);
    expect(rules.filter((r) => r.health === 'err').map((r) => ({ name: r.name, lastError: r.lastError }))).toEqual([]);
    summary.rules = recording.length;
  }, 120_000);

  it('every Prometheus query of every dashboard returns data, for every service its picker offers', async () => {
    type Result = { dashboard: string; panel: string; where: string; expr: string; series: number };
    /** Every query of every dashboard, once, at the current time. */
    const runAll = async (): Promise<Result[]> => {
      const end = Date.now();
      const results: Result[] = [];
      for (const { file, model } of buildDashboards(spec, 'compose')) {
        const m = model as unknown as Json;
        const variables = ((m.templating as Json | undefined)?.list as Json[] | undefined) ?? [];
        // As Grafana expands them: a custom variable's options one by one (every service of a picker); a query
        // variable at the first value its label_values query finds (what a user picks; with `All`, queries that match
        // the variable with `=` would get its `.+` literally, see the report), in order, since later ones read earlier ones.
        const pickers = variables.filter((v) => v.type === 'custom').map((v) => ({ name: String(v.name), options: String(v.query).split(',') }));
        const picked = pickers.reduce<Record<string, string>[]>((acc, p) => acc.flatMap((c) => p.options.map((o) => ({ ...c, [p.name]: o }))), [{}]);
        const choices: Record<string, string>[] = [];
        for (const base of picked) {
          const choice: Record<string, string> = { ...base };
          for (const v of variables.filter((x) => x.type === 'query')) {
            const found = /^label_values\((.+),\s*([A-Za-z_]\w*)\)$/.exec(String(v.query ?? ''));
            const series = found ? await prom.query(substituteVariables(found[1]!, { ...INTERVALS, ...choice }), end) : [];
            const values = series.map((x) => x.metric[found![2]!]).filter((x): x is string => x !== undefined).sort();
            choice[String(v.name)] = values[0] ?? '.+';
          }
          choices.push(choice);
        }
        const fixed: Record<string, string> = { ...INTERVALS };
        const run = async (panel: string, where: string, expr: string, instant: boolean) => {
          for (const choice of choices) {
            const q = substituteVariables(expr, { ...fixed, ...choice });
            const series: Series[] = instant ? await prom.query(q, end) : await prom.queryRange(q, started, end, 2);
            results.push({ dashboard: file, panel, where: `${where} ${JSON.stringify(choice)}`, expr: q, series: series.length });
          }
        };
        for (const panel of panelsOf(m)) {
          for (const [i, t] of ((panel.targets as Json[] | undefined) ?? []).entries()) {
            if (!isObject(t.datasource) || t.datasource.type !== 'prometheus') continue;
            await run(String(panel.title), `${file} panel ${String(panel.id)} "${String(panel.title)}" target ${i}`, String(t.expr), t.instant === true);
          }
        }
        for (const a of ((m.annotations as Json | undefined)?.list as Json[] | undefined) ?? []) {
          if (isObject(a.datasource) && a.datasource.type === 'prometheus') await run(`annotation ${String(a.name)}`, `${file} annotation "${String(a.name)}"`, String(a.expr), false);
        }
        for (const v of variables) {
          const selector = /^label_values\((.+),\s*[A-Za-z_]\w*\)$/.exec(String(v.query ?? ''));
          if (v.type === 'query' && selector) await run(`variable ${String(v.name)}`, `${file} variable $${String(v.name)}`, selector[1]!, true);
        }
      }
      return results;
    };
    // A recording group with a longer interval (Galway's, 1m) may not have evaluated yet: wait for it, then judge.
    let results = await runAll();
    const missing = (rs: Result[]) => rs.filter((r) => r.series === 0 && !legitimatelyEmpty(r.expr));
    if (missing(results).length > 0) {
      results = await waitFor('every dashboard query to have data', async () => {
        const again = await runAll();
        return missing(again).length === 0 ? again : undefined;
      }, 70_000, 5000).catch(() => runAll());
    }
    const empty = results.filter((r) => r.series === 0 && !legitimatelyEmpty(r.expr));
    expect(empty.map((r) => `${r.where}: ${r.expr}`)).toEqual([]);
    // Every panel shows something, but those whose every query may be empty.
    const byPanel = new Map<string, typeof results>();
    for (const r of results) byPanel.set(`${r.dashboard} / ${r.panel}`, [...(byPanel.get(`${r.dashboard} / ${r.panel}`) ?? []), r]);
    const emptyPanels = [...byPanel].filter(([, rs]) => rs.every((r) => r.series === 0) && !rs.every((r) => legitimatelyEmpty(r.expr))).map(([p]) => p);
    expect(emptyPanels).toEqual([]);
    summary.exceptions = results.filter((r) => r.series === 0).map((r) => `${r.where}: ${r.expr}`);
    summary.panels = byPanel.size;
    expect(results.length).toBeGreaterThan(100);
    summary.queries = results.length;
  }, 180_000);

  it('stops every process it started, leaving none behind', async () => {
    const groups = procs.list.flatMap((m) => [m.pid, ...(m.reaper.pid !== undefined ? [m.reaper.pid] : [])]);
    expect(groups).toHaveLength(4);
    await procs.stopAll();
    expect(groups.filter(groupAlive)).toEqual([]);
    expect(procs.stops.filter((s) => s.killed)).toEqual([]);
    expect(simulator.exited()).toBe(true);
  }, 30_000);
});
