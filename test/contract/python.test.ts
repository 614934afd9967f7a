import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { catalogArtifacts, catalogOf, pythonModule, type CatalogMetric, type MixinCatalog } from '../../src/contract';
import { catalogSpec } from '../fixtures/catalog-spec';
import { describeWithTools, findTool, requireTools } from '../support/tools';
import { recordSkip } from '../support/skips';
import { textFamilies } from './text-format';

/**
 * The Python bindings synth writes (dist/catalog/python), run with the real prometheus_client (pinned 0.26.0,
 * tools/python; OBSKIT_PYTHON names the interpreter, as .ci/run exports it) for every mixin obskit ships
 * (test/fixtures/catalog-spec.ts), once per service listing it and once with the defaults: each module imports,
 * every metric is observed, the Prometheus text exposition passes `promtool check metrics`, and what the expositions
 * say — names, types, label names, buckets, help; OpenMetrics families and units through prometheus_client's strict
 * parser — equals the JSON catalog; the modules type-check under mypy --strict, as does a service using them, and a
 * wrong label or name does not. Without Python or promtool the suite is skipped, except in CI (CI=true or
 * OBSKIT_REQUIRE_TOOLS=1), where it fails.
 */
const PYTHON = process.env.OBSKIT_PYTHON ?? 'python3';
const mustRun = requireTools() || process.env.CI === 'true';

/**
 * Names the systems' documents give, which promtool's naming lint flags (and nothing else may be flagged): each is
 * that system's contract (docs/systems-extract/), kept as written.
 */
const DOCUMENTED_NAMES: Record<string, string> = {
  backlog_acceptance_criteria_total: 'galway G11: a count that can go down, a gauge under the document’s _total name',
  ci_test_count: 'galway G6: a gauge, named as the document’s query reads it',
  observability_metrics_count: 'git-notes-memory: the document’s self-monitoring gauge',
  memory_capture_duration_ms: 'git-notes-memory: latencies in milliseconds, named _ms by the document',
  memory_search_duration_ms: 'git-notes-memory: as above',
  memory_embed_duration_ms: 'git-notes-memory: as above',
  memory_index_duration_ms: 'git-notes-memory: as above',
  hook_execution_duration_ms: 'git-notes-memory: as above',
};
const NAMING_LINT = [
  'non-counter metrics should not have "_total" suffix',
  'non-histogram and non-summary metrics should not have "_count" suffix',
  'metric names should not contain abbreviated units',
];

interface Run {
  mixin: string;
  module: string;
  moduleVersion: string;
  service: string | null;
  created: string[];
  runtime: string[];
  text: string;
  openmetrics: string;
  openmetricsFamilies: Array<{ name: string; type: string; unit: string; samples: string[] }>;
}
interface Harness {
  runs: Run[];
  defaultRegistry: boolean;
  unknownService: string;
}

const hasPrometheusClient = spawnSync(PYTHON, ['-c', 'import prometheus_client, mypy'], { timeout: 30_000 }).status === 0;
const catalogs = catalogOf(catalogSpec);
const catalogBy = new Map(catalogs.map((c) => [c.mixin, c]));
const instruments = (c: MixinCatalog) => c.metrics.filter((m) => m.origin === 'instrument');
/** The buckets a service's registration uses: the catalog's, with that service's (or the stack's) own. */
const bucketsOf = (c: MixinCatalog, m: CatalogMetric, service: string | null) =>
  c.services?.find((s) => s.name === service)?.buckets?.[m.name] ?? c.stack?.buckets[m.name] ?? m.buckets;
/** prometheus_client keeps a unit only where the name ends in it (src/contract/python.ts). */
const exposedUnit = (m: CatalogMetric) => (m.unit !== '' && (m.type === 'counter' ? m.name.replace(/_total$/, '') : m.name).endsWith(`_${m.unit}`) ? m.unit : '');
const openMetricsName = (m: CatalogMetric) => (m.type === 'counter' ? m.name.replace(/_total$/, '') : m.name);

/** Writes what synth writes for the catalog fixture into a fresh folder. */
function writeCatalog(): string {
  const root = mkdtempSync(join(tmpdir(), 'obskit-python-'));
  for (const a of catalogArtifacts(catalogSpec)) {
    mkdirSync(join(root, dirname(a.path)), { recursive: true });
    writeFileSync(join(root, a.path), a.content);
  }
  return root;
}

function runHarness(root: string): Harness {
  const run = spawnSync(PYTHON, [join(__dirname, 'observe.py'), join(root, 'dist/catalog'), join(root, 'dist/catalog/python')], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${PYTHON} observe.py exited ${run.status}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Harness;
}

/** A service's use of the bindings, which must type-check, and misuses, which must not (with mypy's words for each). */
const SERVICE = `from prometheus_client import CollectorRegistry

from obskit_catalog import http, zephyr

metrics = http.register(registry=CollectorRegistry(), service="ingest")
route: http.HttpServerRequestDurationSecondsLabel = http.Label.HTTP_ROUTE
metrics.http_server_request_duration_seconds.labels(
    **{route: "/orders/:id", http.Label.HTTP_REQUEST_METHOD: "GET", http.Label.HTTP_RESPONSE_STATUS_CODE: "200"}
).observe(0.2)
orders: str = zephyr.Name.ORDERS_TOTAL
`;
const MISUSE = `from obskit_catalog import http

not_its_label: http.HttpServerActiveRequestsLabel = "http_route"
no_such_name = http.Name.HTTP_ROUTE
http.Label.HTTP_ROUTE = "route"
`;

function mypy(cwd: string, args: readonly string[]) {
  const run = spawnSync(PYTHON, ['-m', 'mypy', '--strict', `--cache-dir=${join(cwd, '.mypy_cache')}`, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function suite(promtool: string) {
  let root: string;
  let harness: Harness;
  beforeAll(() => {
    root = writeCatalog();
    harness = runHarness(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('imports every mixin’s module and creates every metric the catalog says code creates, with the defaults and for each service listing it', () => {
    expect(harness.runs.map((r) => `${r.mixin}:${r.service ?? '(defaults)'}`)).toEqual(
      catalogs.flatMap((c) => [`${c.mixin}:(defaults)`, ...(c.services ?? []).map((s) => `${c.mixin}:${s.name}`)]),
    );
    for (const r of harness.runs) {
      const c = catalogBy.get(r.mixin)!;
      expect({ mixin: r.mixin, version: r.moduleVersion, created: r.created }).toEqual({ mixin: r.mixin, version: c.version, created: instruments(c).map((m) => m.name).sort() });
      expect(r.runtime).toEqual(c.metrics.filter((m) => m.origin === 'runtime').map((m) => m.name));
    }
    expect(harness.runs.reduce((n, r) => n + r.created.length, 0)).toBeGreaterThan(150);
  });

  it('exposes text that `promtool check metrics` passes, but for the naming lint on names the systems document', () => {
    for (const r of harness.runs) {
      const lint = spawnSync(promtool, ['check', 'metrics'], { input: r.text, encoding: 'utf8', timeout: 60_000 });
      const findings = `${lint.stdout}${lint.stderr}`.split('\n').filter(Boolean);
      const unexpected = findings.filter((line) => {
        const [name, ...rest] = line.split(' ');
        return !(DOCUMENTED_NAMES[name!.replace(/_created$/, '')] && NAMING_LINT.includes(rest.join(' ')));
      });
      expect({ mixin: r.mixin, service: r.service, unexpected }).toEqual({ mixin: r.mixin, service: r.service, unexpected: [] });
      expect([0, 3]).toContain(lint.status); // 3: lint findings (all of them allowed above); 1 would be a parse error
      if (findings.length === 0) expect(lint.status).toBe(0);
    }
  });

  it('exposes exactly the catalog’s names, types, label names, buckets and help (Prometheus text format)', () => {
    for (const r of harness.runs) {
      const c = catalogBy.get(r.mixin)!;
      const families = textFamilies(r.text);
      const expected = instruments(c).map((m) => ({
        name: m.name,
        type: m.type,
        help: m.help,
        labels: [...m.labels].sort(),
        ...(m.type === 'histogram' && m.buckets ? { buckets: bucketsOf(c, m, r.service) } : {}),
      }));
      const seen = instruments(c).map((m) => {
        const f = families.get(m.name);
        return {
          name: f?.name,
          type: f?.type,
          help: f?.help,
          labels: [...(f?.labels ?? [])].sort(),
          ...(m.type === 'histogram' && m.buckets ? { buckets: f?.buckets } : {}),
        };
      });
      expect({ mixin: r.mixin, service: r.service, families: seen }).toEqual({ mixin: r.mixin, service: r.service, families: expected });
      // Nothing else but prometheus_client's `_created` gauges (one per counter, histogram and summary).
      const created = instruments(c).filter((m) => m.type !== 'gauge').map((m) => `${openMetricsName(m)}_created`);
      expect([...families.keys()].sort()).toEqual([...instruments(c).map((m) => m.name), ...created].sort());
    }
  });

  it('exposes OpenMetrics that prometheus_client’s strict parser reads back as the catalog’s families, types and units', () => {
    for (const r of harness.runs) {
      const c = catalogBy.get(r.mixin)!;
      expect(r.openmetrics.endsWith('# EOF\n')).toBe(true);
      expect({ mixin: r.mixin, families: r.openmetricsFamilies.map(({ name, type, unit }) => ({ name, type, unit })) }).toEqual({
        mixin: r.mixin,
        families: instruments(c).map((m) => ({ name: openMetricsName(m), type: m.type, unit: exposedUnit(m) })),
      });
      for (const m of instruments(c).filter((x) => x.type === 'counter')) {
        expect(r.openmetricsFamilies.find((f) => f.name === openMetricsName(m))?.samples).toContain(m.name);
      }
    }
  });

  it('registers into prometheus_client’s global REGISTRY by default, and refuses a service that does not list the mixin', () => {
    expect(harness.defaultRegistry).toBe(true);
    expect(harness.unknownService).toBe("service 'no-such-service' does not list the http mixin in the spec; it is listed by shop, ingest");
  });

  it('writes any help text, quotes and backslashes included, as valid Python that keeps it exactly', () => {
    const help = 'He said "stop" \\ then\n"left"';
    const odd: MixinCatalog = {
      schemaVersion: 1, mixin: 'odd-one', version: '0.1.0', scope: 'service', description: 'A "quoted" \\ mixin.', services: [],
      metrics: [{ name: 'odd_events_total', type: 'counter', unit: '', help, labels: ['kind'], origin: 'instrument' }],
    };
    const script = `import sys, types\nm = sys.modules["odd_one"] = types.ModuleType("odd_one")\nexec(sys.stdin.read(), m.__dict__)\nprint(m.register(registry=None).odd_events_total._documentation, end="")`;
    const run = spawnSync(PYTHON, ['-c', script], { input: pythonModule(odd), encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({ status: 0, stderr: '', stdout: help });
  });

  it('type-checks under mypy --strict, and so does a service using its constants; a wrong label, name or assignment does not', () => {
    const python = join(root, 'dist/catalog/python');
    writeFileSync(join(python, 'service.py'), SERVICE);
    writeFileSync(join(python, 'misuse.py'), MISUSE);
    const good = mypy(python, ['service.py', 'obskit_catalog']); // every module, __init__.py and service.py
    expect(good).toEqual({ status: 0, output: expect.stringContaining(`Success: no issues found in ${catalogs.length + 2} source files`) });
    const bad = mypy(python, ['misuse.py']);
    expect(bad.status).toBe(1);
    expect(bad.output).toContain(`misuse.py:3: error: Incompatible types in assignment (expression has type "Literal['http_route']", variable has type "Literal['http_request_method', 'url_scheme']")`);
    expect(bad.output).toContain('misuse.py:4: error: "type[Name]" has no attribute "HTTP_ROUTE"');
    expect(bad.output).toContain('misuse.py:5: error: Cannot assign to final attribute "HTTP_ROUTE"');
  });
}

if (hasPrometheusClient && (findTool('promtool') !== undefined || !mustRun)) {
  describeWithTools('the catalog’s Python bindings with the real prometheus_client', ['promtool'], ({ promtool }) => suite(promtool));
} else if (mustRun) {
  describe('the catalog’s Python bindings with the real prometheus_client', () => {
    it('has Python with prometheus_client and mypy, and promtool', () => {
      if (!hasPrometheusClient) throw new Error(`CI: ${PYTHON} cannot import prometheus_client and mypy; export OBSKIT_PYTHON="$(bash tools/python/install.sh)"`);
      throw new Error('CI: promtool not found (set OBSKIT_PROMTOOL, or npm run tools)');
    });
  });
} else {
  recordSkip({
    suite: 'the catalog’s Python bindings with the real prometheus_client',
    file: __filename,
    tools: [{ name: 'python', problem: `${PYTHON} cannot import prometheus_client and mypy`, env: 'OBSKIT_PYTHON', install: 'export OBSKIT_PYTHON="$(bash tools/python/install.sh)"' }],
  });
  describe.skip('the catalog’s Python bindings with the real prometheus_client [skipped: no prometheus_client]', () => suite(''));
}
