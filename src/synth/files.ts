import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { GENERATED_ROOTS, PRESERVED, type Artifact } from './artifacts';

const toPosix = (p: string) => p.split(sep).join(posix.sep);

/** Folders that are never synth's, wherever they are: Python's bytecode cache, left when the bindings are imported in place. */
const NOT_GENERATED = new Set(['__pycache__']);

function isPreserved(path: string): boolean {
  return PRESERVED.some((kept) => path === kept || path.startsWith(`${kept}/`));
}

/** Every file now under the generated folders (repo-relative, posix), except the preserved ones. */
export function existingGeneratedFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const rel = toPosix(relative(root, full));
      if (isPreserved(rel) || (entry.isDirectory() && NOT_GENERATED.has(entry.name))) continue;
      if (entry.isDirectory()) walk(full);
      else found.push(rel);
    }
  };
  for (const top of GENERATED_ROOTS) if (existsSync(join(root, top))) walk(join(root, top));
  return found.sort();
}

export interface Drift {
  readonly changed: string[];
  readonly missing: string[];
  readonly extra: string[];
}

/** How the files on disk differ from what synth would write. Reads only. */
export function diffArtifacts(root: string, artifacts: readonly Artifact[]): Drift {
  const wanted = new Set(artifacts.map((a) => a.path));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const artifact of artifacts) {
    const file = join(root, artifact.path);
    if (!existsSync(file)) missing.push(artifact.path);
    else if (readFileSync(file, 'utf8') !== artifact.content) changed.push(artifact.path);
  }
  const extra = existingGeneratedFiles(root).filter((path) => !wanted.has(path));
  return { changed, missing, extra };
}

export function hasDrift(drift: Drift): boolean {
  return drift.changed.length + drift.missing.length + drift.extra.length > 0;
}

/** Writes every artifact whose bytes differ and removes generated files that are no longer generated. */
export function writeArtifacts(root: string, artifacts: readonly Artifact[]): Drift {
  const drift = diffArtifacts(root, artifacts);
  const toWrite = new Set([...drift.changed, ...drift.missing]);
  for (const artifact of artifacts) {
    if (!toWrite.has(artifact.path)) continue;
    const file = join(root, artifact.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, artifact.content);
  }
  for (const stale of drift.extra) rmSync(join(root, stale));
  return drift;
}
