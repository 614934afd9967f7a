import type { Artifact } from './artifacts';
import type { Drift } from './files';

/** How many files each generated folder holds (`dist/k8s/  8 files`). */
function perFolder(artifacts: readonly Artifact[]): string[] {
  const byTop = new Map<string, number>();
  for (const a of artifacts) {
    const parts = a.path.split('/');
    const top = parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0]!;
    byTop.set(top, (byTop.get(top) ?? 0) + 1);
  }
  return [...byTop].map(([dir, n]) => `  ${dir}/  ${n} file${n === 1 ? '' : 's'}`);
}

/** What a synth run did: the counts, then every file it created, updated or removed by name, then the folders. */
export function writeReport(outDir: string, artifacts: readonly Artifact[], drift: Drift): string {
  const touched = drift.changed.length + drift.missing.length;
  const lines = [
    `synth: ${artifacts.length} files (${touched} written, ${artifacts.length - touched} unchanged, ` +
      `${drift.extra.length} stale removed) under ${outDir}`,
    ...drift.missing.map((path) => `  created  ${path}`),
    ...drift.changed.map((path) => `  updated  ${path}`),
    ...drift.extra.map((path) => `  removed  ${path}`),
    ...perFolder(artifacts),
  ];
  return lines.join('\n');
}

/** What `--check` found: every generated file that differs from a fresh synth, by name. */
export function driftReport(drift: Drift): string[] {
  return [
    ...drift.changed.map((path) => `  changed  ${path}`),
    ...drift.missing.map((path) => `  missing  ${path}`),
    ...drift.extra.map((path) => `  extra    ${path}`),
  ];
}
