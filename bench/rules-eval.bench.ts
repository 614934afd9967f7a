/**
 * Rule evaluation cost of the SLO rules, with a real Prometheus (the pinned build in ~/.cache/obskit/tools/bin) on
 * the same data: today's shared rules (dist/rules/slo.yaml of a fleet spec) against the per-SLO rule sets obskit
 * generated before them, rendered from git history (commit OLD_RULES_COMMIT, the last with one whole rule set per
 * SLO) for the same spec — no copy of old output to keep in step, and the baseline is exactly what shipped.
 *
 * Data: SERVICES services × the HTTP histogram (200s and 500s, every bucket), HISTORY of samples every SCRAPE, written
 * as TSDB blocks with `promtool tsdb create-blocks-from openmetrics`; plus, for the new rules, the 5m rates they
 * record themselves (one sample a minute over the same history), as Prometheus would have recorded them. Each
 * Prometheus loads a copy of the blocks and only the SLO rules, evaluates for RUN_SECONDS, and reports
 * `prometheus_rule_group_last_duration_seconds` per group: summed over groups, one evaluation cycle; weighted by
 * each group's interval, the evaluation time per minute (the old rules ran every 15 s, the new every minute).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchResult } from './run';

const REPO = resolve(__dirname, '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const BIN = join(homedir(), '.cache', 'obskit', 'tools', 'bin');
const OLD_RULES_COMMIT = 'ea682c0';
const SERVICES = 100;
const HISTORY_MINUTES = 120;
const SCRAPE_SECONDS = 30;
const RUN_SECONDS = 150;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf'];

/** A script that prints slo.yaml for the fleet spec, run against `src` (today's, or the old commit's). */
const sloYamlScript = (src: string) => `
import { renderedRuleFiles } from ${JSON.stringify(join(src, 'alerts'))};
import { defineStack, resolveSpec } from ${JSON.stringify(join(src, 'spec'))};
import { http, httpAvailability, httpLatency } from ${JSON.stringify(join(src, 'mixins'))};
const spec = resolveSpec(defineStack({ namespace: 'bench', services: Array.from({ length: ${SERVICES} }, (_, i) => ({
  name: 'svc-' + i, port: 8080, mixins: [http()],
  slos: [
    { name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' },
    { name: 'latency', sli: httpLatency(0.5), objective: 99, period: '30d' },
  ] })) }));
const files = renderedRuleFiles(spec);
for (const [file, content] of Object.entries(files)) if (file.startsWith('slo')) process.stdout.write('---FILE ' + file + '\\n' + content);
`;

function sloRuleFiles(src: string, dir: string): Record<string, string> {
  writeFileSync(join(dir, 'slo-yaml.ts'), sloYamlScript(src));
  const out = execFileSync(TSX, [join(dir, 'slo-yaml.ts')], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30 });
  return Object.fromEntries(
    out
      .split('---FILE ')
      .filter((s) => s.trim() !== '')
      .map((s) => [s.slice(0, s.indexOf('\n')), s.slice(s.indexOf('\n') + 1)]),
  );
}

/** The old commit's src, beside this checkout's node_modules. */
function oldSource(dir: string): string {
  const root = join(dir, 'old');
  mkdirSync(root);
  const archive = spawnSync('git', ['archive', OLD_RULES_COMMIT, 'src', 'tsconfig.json', 'package.json'], { cwd: REPO, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${OLD_RULES_COMMIT}: ${archive.stderr.toString()} (a shallow clone lacks the history this bench renders the old rules from)`);
  execFileSync('tar', ['-x', '-C', root], { input: archive.stdout });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return join(root, 'src');
}

/** OpenMetrics text of the fleet's HTTP histograms, and the 5m rates the new rules record, ending now. */
async function writeOpenMetrics(file: string, end: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  const steps = Math.floor((HISTORY_MINUTES * 60) / SCRAPE_SECONDS);
  const start = end - steps * SCRAPE_SECONDS;
  const perScrape = 10 * SCRAPE_SECONDS; // 10 requests a second per service
  const counter = async (name: string, labels: string, increment: (i: number) => number) => {
    let value = 0;
    for (let i = 0; i <= steps; i += 1) {
      value += increment(i);
      await write(`${name}{${labels}} ${value} ${start + i * SCRAPE_SECONDS}\n`);
    }
  };
  const target = (s: number, code: string) => `service_name="svc-${s}",job="svc-${s}",instance="svc-${s}:8080",http_request_method="GET",http_route="/",http_response_status_code="${code}"`;
  for (let s = 0; s < SERVICES; s += 1) await counter('http_server_request_duration_seconds_count', target(s, '200'), () => perScrape * 0.999);
  for (let s = 0; s < SERVICES; s += 1) await counter('http_server_request_duration_seconds_count', target(s, '500'), () => perScrape * 0.001);
  for (let s = 0; s < SERVICES; s += 1) {
    for (const [b, le] of BUCKETS.entries()) await counter('http_server_request_duration_seconds_bucket', `${target(s, '200')},le="${le}"`, () => (perScrape * 0.999 * (b + 1)) / BUCKETS.length);
  }
  for (const [name, value] of [['slo:sli_requests:rate5m', 10], ['slo:sli_errors:rate5m', 0.01]] as const) {
    for (let s = 0; s < SERVICES; s += 1) {
      for (const slo of ['availability', 'latency']) {
        for (let t = start; t <= end; t += 60) await write(`${name}{service_name="svc-${s}",slo="${slo}"} ${value} ${t}\n`);
      }
    }
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(r));
}

const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

interface Cost {
  /** Seconds one evaluation of every SLO group takes (sum of their last durations). */
  readonly perCycle: number;
  /** Seconds of evaluation per minute (each group's duration × its evaluations a minute). */
  readonly perMinute: number;
  readonly rules: number;
}

/** Runs Prometheus on a copy of the blocks with these rule files only; reads what its own metrics say of them. */
async function evaluate(blocks: string, rules: Record<string, string>, dir: string): Promise<Cost> {
  const data = join(dir, 'data');
  cpSync(blocks, data, { recursive: true });
  const rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  for (const [file, content] of Object.entries(rules)) writeFileSync(join(rulesDir, file), content);
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  evaluation_interval: 15s\nrule_files:\n  - ${rulesDir}/*.yaml\n`);
  const port = await freePort();
  const prometheus = spawn(
    join(BIN, 'prometheus'),
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=30d'],
    { detached: true, stdio: 'ignore' },
  );
  try {
    await new Promise((r) => setTimeout(r, RUN_SECONDS * 1000));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const byGroup = (name: string) =>
      new Map(
        [...metrics.matchAll(new RegExp(`^${name}\\{rule_group="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [m[1]!, Number(m[2])] as const),
      );
    const durations = byGroup('prometheus_rule_group_last_duration_seconds');
    const intervals = byGroup('prometheus_rule_group_interval_seconds');
    const counts = byGroup('prometheus_rule_group_rules');
    if (durations.size === 0) throw new Error('Prometheus reported no rule group (did it load the rules?)');
    let perCycle = 0;
    let perMinute = 0;
    for (const [group, seconds] of durations) {
      perCycle += seconds;
      perMinute += seconds * (60 / (intervals.get(group) ?? 15));
    }
    return { perCycle, perMinute, rules: [...counts.values()].reduce((a, b) => a + b, 0) };
  } finally {
    if (prometheus.pid) process.kill(-prometheus.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function run(): Promise<BenchResult[]> {
  for (const tool of ['prometheus', 'promtool']) {
    if (!existsSync(join(BIN, tool))) throw new Error(`rules-eval needs ${join(BIN, tool)} (npm run tools)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'obskit-bench-rules-'));
  try {
    const oldRules = sloRuleFiles(oldSource(dir), dir);
    const newRules = sloRuleFiles(join(REPO, 'src'), dir);
    const metricsFile = join(dir, 'data.om');
    await writeOpenMetrics(metricsFile, Math.floor(Date.now() / 1000) - 60);
    const blocks = join(dir, 'blocks');
    execFileSync(join(BIN, 'promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', metricsFile, blocks], { stdio: 'ignore' });
    rmSync(metricsFile);
    mkdirSync(join(dir, 'old-run'));
    mkdirSync(join(dir, 'new-run'));
    const old = await evaluate(blocks, oldRules, join(dir, 'old-run'));
    const now = await evaluate(blocks, newRules, join(dir, 'new-run'));
    const bytes = (files: Record<string, string>) => Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0);
    const what = `${SERVICES} services × 2 SLOs, ${HISTORY_MINUTES} min of history`;
    return [
      {
        name: `rules-eval per cycle (${what})`,
        ratio: now.perCycle / old.perCycle,
        subject: `${(now.perCycle * 1000).toFixed(1)} ms for ${now.rules} rules (${(bytes(newRules) / 1024).toFixed(0)} KiB)`,
        baseline: `${(old.perCycle * 1000).toFixed(1)} ms for ${old.rules} rules (${(bytes(oldRules) / 1024).toFixed(0)} KiB) at ${OLD_RULES_COMMIT}`,
        goal: 'not worse (≤ 1)',
        met: now.perCycle <= old.perCycle,
      },
      {
        name: `rules-eval per minute (${what}; old groups every 15 s, new every 1 m)`,
        ratio: now.perMinute / old.perMinute,
        subject: `${(now.perMinute * 1000).toFixed(1)} ms/min`,
        baseline: `${(old.perMinute * 1000).toFixed(1)} ms/min`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
