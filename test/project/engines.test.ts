/**
 * package.json's `engines.node` is a promise: every installed package (the lock file records each one's own
 * `engines`) must run on the oldest Node it admits, or `npm ci` warns EBADENGINE and a dependency may break there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { REPO_ROOT } from '../support/synth';

interface LockPackage {
  readonly engines?: { readonly node?: string } | readonly string[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as T;
const manifest = readJson<{ engines: { node: string } }>('package.json');
const lock = readJson<{ packages: Record<string, LockPackage> }>('package-lock.json');

/** Every locked package's Node range, by its path in node_modules. */
function nodeRanges(): [string, string][] {
  return Object.entries(lock.packages).flatMap(([path, pkg]) => {
    const node = pkg.engines && !Array.isArray(pkg.engines) ? (pkg.engines as { node?: string }).node : undefined;
    return path !== '' && node !== undefined ? [[path, node] as [string, string]] : [];
  });
}

describe('engines', () => {
  const oldest = minVersion(manifest.engines.node)!.version;

  it('every locked package supports the oldest Node package.json admits', () => {
    const unsupported = nodeRanges()
      .filter(([, range]) => !satisfies(oldest, range))
      .map(([path, range]) => `${path} needs node ${range}`);
    expect([oldest, unsupported]).toEqual([oldest, []]);
  });

  it('the Node running the tests is one package.json admits', () => {
    expect(satisfies(process.versions.node, manifest.engines.node)).toBe(true);
  });

  it('can fail: a package needing Node 22 is found', () => {
    expect(satisfies(oldest, '>=22')).toBe(false);
  });
});
