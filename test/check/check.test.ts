/**
 * `obskit check` against the real demo service (started as the live tests start it, scraped over loopback) and
 * against expositions that break its mixins' contract, saved to a file or served from a loopback server: each with
 * its exit status and a message naming the metric and the mixin. The fixture spec is test/fixtures/demo-spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCheck } from '../../src/check/cli';
import { freePort, Processes, waitUntilReady, type Managed } from '../live/support/processes';

const REPO = resolve(__dirname, '../..');
const SPEC = join(REPO, 'test/fixtures/demo-spec.ts');

async function check(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCheck(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join('\n'), err: err.join('\n') };
}

/** The finding lines of a report (two-space indent, not notes). */
const findingLines = (out: string) => out.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('  note:'));

/** Serves `body` as a metrics endpoint on 127.0.0.1 (Prometheus text), or never answers when body is undefined. */
async function serve(body: string | undefined): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    if (body === undefined) return; // hangs: for the timeout case
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

describe('obskit check', () => {
  const procs = new Processes();
  const dir = mkdtempSync(join(tmpdir(), 'obskit-check-'));
  let demo: Managed;
  let metricsUrl: string;
  /** The demo's real exposition in the Prometheus text format, after some traffic. */
  let scraped: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    const port = await freePort();
    demo = procs.start('demo', process.execPath, ['--import', 'tsx', join('src', 'sdk', 'demo', 'main.ts')], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DEMO_LOAD_RPS: '0', DEMO_ERROR_RATE: '0', SHUTDOWN_DRAIN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
    });
    await waitUntilReady(demo, `http://127.0.0.1:${port}/health/ready`);
    for (const [method, path] of [['POST', '/api/checkout'], ['GET', '/api/orders/42'], ['GET', '/nowhere']] as const) {
      await (await fetch(`http://127.0.0.1:${port}${path}`, { method })).arrayBuffer();
    }
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    scraped = await (await fetch(metricsUrl)).text();
  });

  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const saved = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('finds the running demo clean against its mixins (exit 0)', async () => {
    const { status, out } = await check(metricsUrl, '--service', 'demo', '--spec', SPEC);
    expect(findingLines(out)).toEqual([]);
    expect(out).toContain('OpenMetrics'); // it asks for OpenMetrics, as Prometheus does, so # UNIT would be checked
    expect(out).toMatch(/^clean: all \d+ metrics its dashboards, alerts, recording rules and SLOs query are exposed/m);
    expect(status).toBe(0);
  });

  it('reports a required metric that is missing, with the mixin and what reads it (exit 1)', async () => {
    const without = scraped
      .split('\n')
      .filter((l) => !/^(# (HELP|TYPE) )?http_server_request_duration_seconds/.test(l))
      .join('\n');
    expect(without).not.toEqual(scraped);
    const { status, out } = await check(saved('missing.txt', without), '--service', 'demo', '--spec', SPEC);
    expect(findingLines(out)).toEqual([
      expect.stringMatching(/^ {2}http_server_request_duration_seconds \(http mixin\): is not exposed; needed by .*alerts ServiceErrorRatioHigh, ServiceLatencyHigh; SLOs availability, latency; dashboards "Service overview"/),
    ]);
    expect(status).toBe(1);
  });

  it('reports a misspelled label on a served exposition, suggesting the catalog’s (exit 1)', async () => {
    const misspelled = scraped.replace(/(http_server_request_duration_seconds_\w+\{[^}]*)http_route=/g, '$1http_rout=');
    expect(misspelled).not.toEqual(scraped);
    const { url, server } = await serve(misspelled);
    servers.push(server);
    const { status, out } = await check(url, '--service', 'demo', '--spec', SPEC);
    expect(findingLines(out)).toEqual([
      expect.stringMatching(/^ {2}http_server_request_duration_seconds \(http mixin\): label "http_rout" \(on \d+ series\) is not in the catalog; did you mean "http_route"\?/),
    ]);
    expect(status).toBe(1);
  });

  it('reports a label with more distinct values than the mixin’s bound (exit 1)', async () => {
    // A service that records the raw request method instead of folding unknown ones into _OTHER.
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'MKCOL', 'BREW'];
    const active = methods.map((m) => `http_server_active_requests{http_request_method="${m}",url_scheme="http",service_name="demo"} 0`);
    const unbounded = scraped.replace(/^(# TYPE http_server_active_requests gauge\n)(?:http_server_active_requests.*\n)*/m, (_, type: string) => `${type}${active.join('\n')}\n`);
    expect(unbounded).toContain('"BREW"');
    const { status, out } = await check(saved('unbounded.txt', unbounded), '--service', 'demo', '--spec', SPEC);
    expect(findingLines(out)).toEqual([
      expect.stringMatching(/^ {2}http_server_active_requests \(http mixin\): label "http_request_method" has 12 distinct values, over the bound of 10 the http mixin states/),
    ]);
    expect(status).toBe(1);
  });

  it('reports wrong types, buckets and metrics outside the catalog (exit 1)', async () => {
    const text = scraped
      .replace('# TYPE process_open_fds gauge', '# TYPE process_open_fds counter')
      .replace(/(http_server_request_duration_seconds_bucket\{[^}]*)le="7.5"/g, '$1le="8"')
      .concat('# TYPE shop_cart_items gauge\nshop_cart_items 3\n');
    const { status, out } = await check(saved('wrong.txt', text), '--service', 'demo', '--spec', SPEC);
    expect(findingLines(out)).toEqual([
      '  process_open_fds (nodejs mixin): is exposed as a counter; the catalog says gauge',
      expect.stringMatching(/^ {2}http_server_request_duration_seconds \(http mixin\): has buckets \[0\.005, .*, 5, 8, 10\]; .* missing 7\.5 — not in the catalog 8$/),
      '  shop_cart_items (no mixin): is not in the catalog of any mixin of the service (http, nodejs, demo)',
    ]);
    expect(status).toBe(1);
  });

  it('reports an exposition that does not parse as a breach, naming the line (exit 1)', async () => {
    const { status, out } = await check(saved('broken.txt', `${scraped}bad{x="1} 2\n`), '--service', 'demo', '--spec', SPEC);
    expect(out).toMatch(/does not parse \(Prometheus text\): line \d+: the value of label "x" is not closed/);
    expect(status).toBe(1);
  });

  describe('bad usage (exit 2)', () => {
    it.each([
      ['an unknown service', (f: string) => [f, '--service', 'nope', '--spec', SPEC], /no service "nope" in .*demo-spec\.ts; its services: demo/],
      ['a missing file', () => [join(dir, 'absent.txt'), '--service', 'demo', '--spec', SPEC], /no file .*absent\.txt/],
      ['no --service', (f: string) => [f, '--spec', SPEC], /--service names the service/],
      ['no target', () => ['--service', 'demo', '--spec', SPEC], /give the URL of a metrics endpoint or a saved exposition file/],
      ['an unknown option', (f: string) => [f, '--service', 'demo', '--fast'], /unknown option "--fast"/],
      ['a missing spec module', (f: string) => [f, '--service', 'demo', '--spec', join(dir, 'nospec.ts')], /no spec module at .*nospec\.ts/],
    ])('%s', async (_, args, message) => {
      const file = saved('ok.txt', scraped);
      const { status, err } = await check(...args(file));
      expect(err).toMatch(message);
      expect(status).toBe(2);
    });

    it('an unreachable URL', async () => {
      const port = await freePort(); // nothing listens there
      const { status, err } = await check(`http://127.0.0.1:${port}/metrics`, '--service', 'demo', '--spec', SPEC);
      expect(err).toContain(`cannot reach http://127.0.0.1:${port}/metrics: connection refused`);
      expect(status).toBe(2);
    });

    it('an endpoint that does not answer in time', async () => {
      const { url, server } = await serve(undefined);
      servers.push(server);
      const { status, err } = await check(url, '--service', 'demo', '--spec', SPEC, '--timeout', '300');
      expect(err).toContain(`${url} did not answer within 300 ms`);
      expect(status).toBe(2);
    });
  });

  it('runs standalone as `npm run check`, its exit status that of the check', () => {
    const file = saved('cli-missing.txt', scraped.replace(/^service_build_info.*\n/m, '').replace(/^# (HELP|TYPE) service_build_info.*\n/gm, ''));
    const run = spawnSync(process.execPath, ['--import', 'tsx', join('src', 'check', 'main.ts'), file, '--service', 'demo', '--spec', SPEC], { cwd: REPO, encoding: 'utf8' });
    expect(run.stdout).toContain('service_build_info (nodejs mixin): is not exposed; needed by dashboard "Service runtime"');
    expect(run.status).toBe(1);
  });
});
