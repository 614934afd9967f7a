import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from './support/child';

/** What @obskit/sdk declares, held against what its sources import and what the repository tests it with. */

interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const read = (file: string): Manifest => JSON.parse(readFileSync(join(REPO, file), 'utf8')) as Manifest;
const sdk = read('src/sdk/package.json');
const root = read('package.json');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return ['demo', 'simulate', 'dist', 'node_modules'].includes(entry) ? [] : tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The packages the package's sources import (static, type-only and dynamic imports alike). */
function importedPackages(): Map<string, string[]> {
  const mixins = join(REPO, 'src', 'mixins');
  const files = [
    ...tsFiles(join(REPO, 'src', 'sdk')),
    ...readdirSync(mixins).flatMap((m) => {
      const file = join(mixins, m, 'metrics.ts');
      const folder = join(mixins, m, 'metrics');
      return [...(existsSync(file) ? [file] : []), ...(existsSync(folder) ? tsFiles(folder) : [])];
    }),
  ];
  const out = new Map<string, string[]>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)'([^'.][^']*)'/g)) {
      const specifier = m[1]!;
      if (specifier.startsWith('node:')) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      out.set(name, [...(out.get(name) ?? []), relative(REPO, file)]);
    }
  }
  return out;
}

describe('@obskit/sdk package.json', () => {
  it('declares exactly the packages its sources import, each as a dependency or a peer', () => {
    const declared = Object.keys({ ...sdk.dependencies, ...sdk.peerDependencies }).sort();
    expect([...importedPackages().keys()].sort()).toEqual(declared);
  });

  it('asks for the versions the repository tests it with (the same ranges as the root package.json)', () => {
    const rootRanges: Record<string, string | undefined> = { ...root.dependencies, ...(root as { devDependencies?: Record<string, string> }).devDependencies };
    for (const [name, range] of Object.entries({ ...sdk.dependencies, ...sdk.peerDependencies, ...sdk.devDependencies })) {
      expect({ name, range: rootRanges[name] }).toEqual({ name, range });
    }
    expect(sdk.version).toBe(root.version);
  });
});
