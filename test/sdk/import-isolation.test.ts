import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './support/child';

/** Every mixin's SDK-safe catalog module: src/mixins/<name>/metrics.ts, or metrics/index.ts when it is a folder. */
const MIXIN_METRICS = readdirSync(join(REPO, 'src', 'mixins'))
  .flatMap((name) => [`${name}/metrics.ts`, `${name}/metrics/index.ts`])
  .filter((file) => existsSync(join(REPO, 'src', 'mixins', file)))
  .sort();

/** The files tsc compiles for the @obskit/sdk package (its imports followed), relative to the repo. */
function packageClosure(): string[] {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const out = spawnSync(process.execPath, [tsc, '-p', 'src/sdk/tsconfig.package.json', '--listFilesOnly'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (out.status !== 0) throw new Error(`tsc --listFilesOnly failed: ${out.stdout}${out.stderr}`);
  return out.stdout
    .split('\n')
    .filter((f) => f.trim() !== '' && !f.includes('/node_modules/'))
    .map((f) => relative(REPO, f));
}

function loadedBy(target: string): string[] {
  const fixture = join(__dirname, 'fixtures', 'loaded-modules.ts');
  const out = spawnSync(process.execPath, ['--import', 'tsx', fixture, target], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (out.status !== 0) throw new Error(`child failed (${out.status}): ${out.stderr}`);
  const line = out.stdout.split('\n').find((l) => l.startsWith('{"loaded"'));
  if (!line) throw new Error(`no output: ${out.stdout}${out.stderr}`);
  return (JSON.parse(line) as { loaded: string[] }).loaded;
}

/** The package a loaded file belongs to (innermost node_modules), or undefined for repo files. */
const packageOf = (file: string): string | undefined =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.slice(Math.max(0, file.lastIndexOf('node_modules/'))))?.[1];

describe('import isolation (child process)', () => {
  it('the SDK entry loads no generator code: no cdk8s, constructs, Grafana SDK, frameworks or OTel SDK (traces or logs)', () => {
    const loaded = loadedBy('src/sdk');
    const packages = new Set(loaded.map(packageOf).filter((p): p is string => p !== undefined));
    expect(packages.has('prom-client')).toBe(true); // the check itself sees node_modules requires
    for (const forbidden of [/^cdk8s/, /^constructs$/, /^@grafana\//, /^express$/, /^fastify$/, /^@opentelemetry\/(sdk-|exporter-|resources|instrumentation|api-logs|otlp-)/]) {
      expect([...packages].filter((p) => forbidden.test(p))).toEqual([]);
    }
    const repoFiles = loaded.filter((f) => !f.includes('/node_modules/'));
    expect(repoFiles.length).toBeGreaterThan(10);
    expect(repoFiles.filter((f) => !f.startsWith(join(REPO, 'src', 'sdk')))).toEqual([]);
  });

  it('the simulator (src/sdk/simulate) loads the SDK and nothing outside it: no generator code, no mixin', () => {
    const loaded = loadedBy('src/sdk/simulate/start.ts');
    const repoFiles = loaded.filter((f) => !f.includes('/node_modules/'));
    expect(repoFiles.some((f) => f.endsWith(join('simulate', 'simulator.ts')))).toBe(true);
    expect(repoFiles.filter((f) => !f.startsWith(join(REPO, 'src', 'sdk')))).toEqual([]);
    const packages = new Set(loaded.map(packageOf).filter((p): p is string => p !== undefined));
    expect([...packages].filter((p) => /^(cdk8s|constructs|@grafana\/|@lezer\/|@prometheus-io\/|yaml$|zod$)/.test(p))).toEqual([]);
  });

  it('the check does see such a package when something loads it (control)', () => {
    expect(loadedBy('node_modules/pino').map(packageOf)).toContain('pino');
  });

  it('the catalog loads no runtime at all (pure data for rules and dashboards)', () => {
    const loaded = loadedBy('src/sdk/catalog');
    expect(loaded.filter((f) => f.includes('node_modules'))).toEqual([]);
  });

  // A mixin's metrics are the catalog services import (the SDK's constants, bindings for other languages): they must
  // load as pure data, never the generators (rules, dashboards, cdk8s) that the rest of the mixin needs.
  it.each(MIXIN_METRICS)(
    'src/mixins/%s loads the catalog and nothing else',
    (file) => {
      const loaded = loadedBy(`src/mixins/${file}`);
      expect(loaded.filter((f) => f.includes('node_modules'))).toEqual([]);
      const outside = loaded.filter((f) => !f.startsWith(join(REPO, 'src', 'sdk', 'catalog')) && !f.startsWith(join(REPO, 'src', 'mixins', file.split('/')[0]!, 'metrics')));
      expect(outside).toEqual([]);
    },
  );

  // The @obskit/sdk package compiles a closure of files: tsc follows every import, so a generator module imported by
  // anything in it (even a type) would be listed here and shipped in the package.
  it('the compiled @obskit/sdk package holds the SDK and the mixins\' metrics modules, no generator module', () => {
    const closure = packageClosure();
    expect(closure).toContain('src/sdk/index.ts');
    for (const file of MIXIN_METRICS) expect(closure).toContain(`src/mixins/${file}`);
    const allowed = /^src\/(sdk\/(?!demo\/|simulate\/|dist\/)[^]*|mixins\/[^/]+\/metrics(\.ts|\/[^/]+\.ts))$/;
    expect(closure.filter((f) => !allowed.test(f))).toEqual([]);
  });

  it('the package exports every mixin\'s catalog as @obskit/sdk/catalog/<mixin>, and nothing else under catalog/', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'src', 'sdk', 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    const exported = Object.entries(manifest.exports)
      .filter(([subpath]) => subpath.startsWith('./catalog/'))
      .map(([subpath, target]) => [subpath, target.default]);
    const expected = MIXIN_METRICS.map((file) => [
      `./catalog/${file.split('/')[0]}`,
      `./dist/mixins/${file.replace(/\.ts$/, '.js')}`,
    ]);
    expect(exported.sort()).toEqual(expected.sort());
  });
});
