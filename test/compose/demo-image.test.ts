/**
 * The demo image (compose/demo/Dockerfile): the builder gets only the files the build copies, and the image holds
 * production dependencies only and runs unprivileged. No container engine runs here, so the Dockerfile is read,
 * and the demo's import graph is walked to show production dependencies are all it needs at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as ts from 'typescript';
import { DEMO_BUILD_INPUTS, demoDockerfile, demoDockerignore } from '../../src/compose/demo-dockerfile';
import { imageRef } from '../../src/spec';
import { REPO_ROOT } from '../support/synth';

interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly lines: string[];
}

/** The Dockerfile's stages, each with its instructions (comments dropped). */
function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  for (const line of dockerfile.split('\n').filter((l) => l.trim() && !l.startsWith('#'))) {
    const from = /^FROM (\S+)(?: AS (\S+))?$/.exec(line);
    if (from) out.push({ from: from[1]!, ...(from[2] ? { name: from[2] } : {}), lines: [] });
    else out.at(-1)!.lines.push(line);
  }
  return out;
}

/** Every package (not builtin) a TypeScript file and its relative imports load at run time (type-only imports skipped). */
function runtimePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier) specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      if (specifier === undefined) return;
      if (specifier.startsWith('.')) {
        const base = resolve(dirname(file), specifier);
        const found = [`${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f));
        if (!found) throw new Error(`${file}: cannot resolve ${specifier}`);
        visit(found);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    });
  };
  visit(entry);
  return packages;
}

describe('the demo image', () => {
  const dockerfile = demoDockerfile();
  const all = stages(dockerfile);
  const final = all.at(-1)!;

  it('lets into the build context exactly what the Dockerfile copies from it, and nothing else', () => {
    const rules = demoDockerignore().split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const letThrough = rules.slice(1).map((r) => r.replace(/^!/, ''));
    expect(rules.slice(1).every((r) => r.startsWith('!'))).toBe(true);
    const copied = all
      .flatMap((s) => s.lines)
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(new Set(copied)).toEqual(new Set(letThrough));
    expect(letThrough.sort()).toEqual([...DEMO_BUILD_INPUTS].sort());
    for (const kept of ['node_modules', 'dist', '.git', 'test', 'compose', 'build']) {
      expect(letThrough.some((p) => p === kept || p.startsWith(`${kept}/`))).toBe(false);
    }
    for (const input of DEMO_BUILD_INPUTS) expect(existsSync(join(REPO_ROOT, input))).toBe(true);
  });

  it('builds on the pinned Node image in every stage', () => {
    expect(all.map((s) => s.from)).toEqual([imageRef('node'), imageRef('node'), imageRef('node')]);
    expect(imageRef('node')).not.toMatch(/:latest$|^[^:]+$/);
  });

  it('installs only production dependencies into the image, and compiles in a stage it leaves behind', () => {
    const deps = all.find((s) => s.name === 'deps')!;
    expect(deps.lines).toContain('RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund');
    expect(final.lines.filter((l) => l.startsWith('RUN'))).toEqual([]);
    const copiedIn = final.lines.filter((l) => l.startsWith('COPY'));
    expect(copiedIn).toEqual(['COPY --from=deps /app/node_modules ./node_modules', 'COPY --from=build /app/build/sdk ./sdk']);
    expect(final.lines).toContain('ENV NODE_ENV=production');
  });

  it('runs as the unprivileged node user', () => {
    const user = final.lines.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBe('USER node');
  });

  it('needs at run time only packages package.json lists as production dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const needed = [...runtimePackages(join(REPO_ROOT, 'src/sdk/demo/main.ts'))].sort();
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((p) => !(p in manifest.dependencies))).toEqual([]);
  });
});
