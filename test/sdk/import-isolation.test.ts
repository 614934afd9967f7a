import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './support/child';

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

  it('the check does see such a package when something loads it (control)', () => {
    expect(loadedBy('node_modules/pino').map(packageOf)).toContain('pino');
  });

  it('the catalog loads no runtime at all (pure data for rules and dashboards)', () => {
    const loaded = loadedBy('src/sdk/catalog');
    expect(loaded.filter((f) => f.includes('node_modules'))).toEqual([]);
  });

  // A mixin's metrics are the catalog services import (the SDK's constants, bindings for other languages): they must
  // load as pure data, never the generators (rules, dashboards, cdk8s) that the rest of the mixin needs.
  it.each(['http/metrics.ts', 'nodejs/metrics.ts', 'python/metrics.ts', 'stack-health/metrics/index.ts'])(
    'src/mixins/%s loads the catalog and nothing else',
    (file) => {
      const loaded = loadedBy(`src/mixins/${file}`);
      expect(loaded.filter((f) => f.includes('node_modules'))).toEqual([]);
      const outside = loaded.filter((f) => !f.startsWith(join(REPO, 'src', 'sdk', 'catalog')) && !f.startsWith(join(REPO, 'src', 'mixins', file.split('/')[0]!, 'metrics')));
      expect(outside).toEqual([]);
    },
  );
});
