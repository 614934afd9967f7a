import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { HTTP_DURATION_BUCKETS } from '../../src/sdk/catalog/http';
import { httpRequestDurationSeconds, ordersTotal, PROMETHEUS_CLIENT_BUCKETS } from '../../src/mixins/zephyr/metrics';
import { REPO } from './support/child';
import { parseExposition, type Sample } from './support/exposition';
import { call } from './support/net';
import { npm } from './support/npm';

/**
 * The SDK as another repository gets it: `npm pack` of the workspace (its prepack compiles it), the tarball
 * installed into a project outside this repository, a plain-CommonJS service run by plain `node` and scraped.
 * Packed and installed once for the whole file.
 */

const GENERATOR_PACKAGES = /^(cdk8s|cdk8s-plus-\d+|constructs|@grafana\/.*|@lezer\/.*|@prometheus-io\/.*|yaml|zod|typescript|tsx|esbuild|kubernetes-models|obskit)$/;

interface Packed {
  readonly work: string;
  readonly tarball: string;
  readonly files: readonly string[];
  readonly project: string;
}

let packed: Packed;

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'obskit-sdk-package-'));
  const [info] = JSON.parse(npm(['pack', '--workspace', 'src/sdk', '--pack-destination', work, '--json'], REPO)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(work, info!.filename);
  const project = join(work, 'service');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'service', version: '1.0.0', private: true }, null, 2)}\n`);
  npm(['install', tarball, '--prefer-offline'], project);
  copyFileSync(join(__dirname, 'fixtures', 'packaged-service.js'), join(project, 'service.js'));
  packed = { work, tarball, files: info!.files.map((f) => f.path), project };
}, 240_000);

afterAll(() => {
  if (packed) rmSync(packed.work, { recursive: true, force: true });
});

/** Every installed package of the project (nested ones too), as name → folder. */
function installedPackages(nodeModules: string, out = new Map<string, string>()): Map<string, string> {
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const entry of entries.filter((e) => !e.startsWith('.'))) {
    const scoped = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((e) => `${entry}/${e}`) : [entry];
    for (const name of scoped) {
      const dir = join(nodeModules, name);
      out.set(name, dir);
      installedPackages(join(dir, 'node_modules'), out);
    }
  }
  return out;
}

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

function startService(project: string): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['service.js'], { cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve({ child, port: (JSON.parse(line) as { port: number }).port, stderr: () => stderr });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`service exited (${code}) before listening: ${stdout}${stderr}`)));
  });
}

const stop = (child: ChildProcess): void => {
  if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
};

describe('@obskit/sdk packed and installed outside the repository', () => {
  it('the tarball holds compiled JavaScript and declarations of the SDK and the mixin catalogs only', () => {
    expect(packed.files).toContain('package.json');
    expect(packed.files).toContain('LICENSE');
    expect(packed.files).toContain('dist/sdk/index.js');
    expect(packed.files).toContain('dist/sdk/index.d.ts');
    expect(packed.files).toContain('dist/mixins/zephyr/metrics.js');
    const code = packed.files.filter((f) => f.startsWith('dist/'));
    expect(code.filter((f) => !/\.(js|d\.ts)$/.test(f))).toEqual([]);
    expect(code.filter((f) => !/^dist\/(sdk\/|mixins\/[^/]+\/metrics(\.|\/))/.test(f))).toEqual([]);
    expect(code.filter((f) => /\/(demo|simulate)\//.test(f))).toEqual([]);
  });

  it('installs nothing of the generators: its dependencies are prom-client, pino and @opentelemetry/api', () => {
    const installed = installedPackages(join(packed.project, 'node_modules'));
    expect([...installed.keys()].filter((name) => GENERATOR_PACKAGES.test(name))).toEqual([]);
    expect([...installed.keys()].filter((n) => n.startsWith('@opentelemetry/'))).toEqual(['@opentelemetry/api']);
    const manifest = JSON.parse(readFileSync(join(installed.get('@obskit/sdk')!, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['pino', 'prom-client']);
    const required = Object.keys(manifest.peerDependencies).filter((p) => !manifest.peerDependenciesMeta[p]?.optional);
    expect(required).toEqual(['@opentelemetry/api']);
    // The whole node_modules of the service: a guard far below what the generators alone weigh (70+ MB).
    expect(sizeOf(join(packed.project, 'node_modules'))).toBeLessThan(20 * 1024 * 1024);
  });

  it('every subpath of the exports map loads under plain node; a catalog subpath loads only catalog data', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'src', 'sdk', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const subpaths = Object.keys(manifest.exports).filter((s) => s !== './package.json');
    const script = `
      const before = new Set(Object.keys(require.cache));
      for (const s of ${JSON.stringify(subpaths)}) require(s === '.' ? '@obskit/sdk' : '@obskit/sdk' + s.slice(1));
      const zephyr = require('@obskit/sdk/catalog/zephyr');
      const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
      console.log(JSON.stringify({ orders: zephyr.ordersTotal.name, loaded: loaded.length }));`;
    const all = spawnSync(process.execPath, ['-e', script], { cwd: packed.project, encoding: 'utf8' });
    expect(all.stderr).toBe('');
    expect(JSON.parse(all.stdout)).toMatchObject({ orders: 'orders_total' });

    const alone = spawnSync(process.execPath, ['-e', "require('@obskit/sdk/catalog/zephyr'); console.log(JSON.stringify(Object.keys(require.cache)))"], {
      cwd: packed.project,
      encoding: 'utf8',
    });
    const files = (JSON.parse(alone.stdout) as string[]).map((f) => relative(join(packed.project, 'node_modules', '@obskit', 'sdk'), f));
    expect(files.sort()).toEqual(['dist/mixins/zephyr/metrics.js', 'dist/sdk/catalog/define.js']);
  });

  it('its declarations type-check a TypeScript consumer (moduleResolution node16)', () => {
    writeFileSync(
      join(packed.project, 'typed.ts'),
      [
        "import { createTelemetry } from '@obskit/sdk';",
        "import { ordersTotal } from '@obskit/sdk/catalog/zephyr';",
        "const telemetry = createTelemetry({ serviceName: 'typed' });",
        "telemetry.counter(ordersTotal).inc({ product_category: 'books', region: 'eu' });",
        '// @ts-expect-error a label the catalog does not declare',
        "telemetry.counter(ordersTotal).inc({ product_category: 'books', country: 'eu' });",
        '',
      ].join('\n'),
    );
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--typeRoots', join(REPO, 'node_modules', '@types'), '--types', 'node', 'typed.ts'];
    const out = spawnSync(process.execPath, [tsc, ...args], { cwd: packed.project, encoding: 'utf8', timeout: 120_000 });
    expect(`${out.stdout}${out.stderr}`).toBe('');
    expect(out.status).toBe(0);
  });

  it('a plain-CommonJS service run by plain node serves the catalog metrics with their names, labels, buckets and help', async () => {
    const { child, port, stderr } = await startService(packed.project);
    try {
      expect((await call(port, '/orders/7')).status).toBe(200);
      const { samples, types, helps } = parseExposition((await call(port, '/metrics')).body);
      const labelsOf = (name: string): string[][] => samples.filter((s: Sample) => s.name === name).map((s) => Object.keys(s.labels).sort());

      expect(types.get(ordersTotal.name)).toBe('counter');
      expect(helps.get(ordersTotal.name)).toBe(ordersTotal.help);
      expect(samples.filter((s) => s.name === ordersTotal.name)).toEqual([
        { name: 'orders_total', labels: { product_category: 'books', region: 'eu', service_name: 'shop' }, value: '1' },
      ]);

      const zephyrHistogram = httpRequestDurationSeconds.name;
      expect(types.get(zephyrHistogram)).toBe('histogram');
      expect(labelsOf(`${zephyrHistogram}_bucket`)[0]).toEqual([...httpRequestDurationSeconds.labelNames, 'le', 'service_name'].sort());
      const les = samples.filter((s) => s.name === `${zephyrHistogram}_bucket`).map((s) => s.labels.le);
      expect(les).toEqual([...PROMETHEUS_CLIENT_BUCKETS.map(String), '+Inf']);

      // The SDK's own RED histogram, with the route template, from the same catalog the dashboards read.
      const red = samples.filter((s) => s.name === 'http_server_request_duration_seconds_bucket');
      expect(red.map((s) => s.labels.le)).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
      expect(red[0]!.labels).toMatchObject({ http_request_method: 'GET', http_route: '/orders/:id', http_response_status_code: '200', service_name: 'shop' });
      expect(stderr()).toBe('');
    } finally {
      stop(child);
    }
  });

  it('the tarball is a file in a temporary folder outside the repository', () => {
    expect(relative(REPO, packed.tarball).startsWith('..')).toBe(true);
    expect(statSync(packed.tarball).size).toBeGreaterThan(0);
  });
});
