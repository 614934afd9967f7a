import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubernetesArtifacts, type KubernetesInputs } from '../../src/charts';
import type { Artifact } from '../../src/output/artifact';
import type { StackSpec } from '../../src/spec';
import { tempDir } from '../support/synth';

// Manifests are untyped YAML; tests read them as plain objects.
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Manifest {
  readonly file: string;
  readonly object: Obj;
}

/** Every object of every dist/k8s file, with the file it is in. */
export function manifestsOf(artifacts: readonly Artifact[]): Manifest[] {
  return artifacts
    .filter((a) => !a.path.endsWith('kustomization.yaml'))
    .flatMap((a) =>
      parseAllDocuments(a.content).map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${a.path}: ${doc.errors.map((e) => e.message).join('; ')}`);
        return { file: a.path, object: doc.toJS() as Obj };
      }),
    );
}

export function manifests(spec: StackSpec, inputs: KubernetesInputs = {}): Manifest[] {
  return manifestsOf(kubernetesArtifacts(spec, inputs));
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

/** The pod template of a workload object (the pod itself for a Pod). */
export function podSpecOf(object: Obj): Obj {
  if (object.kind === 'Pod') return object.spec;
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.spec;
  return object.spec.template.spec;
}

export function podMetadataOf(object: Obj): Obj {
  if (object.kind === 'Pod') return object.metadata;
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.metadata;
  return object.spec.template.metadata;
}

export function find(all: readonly Manifest[], kind: string, name: string): Obj {
  const found = all.find((m) => m.object.kind === kind && m.object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in dist/k8s`);
  return found.object;
}

/** Writes the artifacts under a fresh folder and returns the dist/k8s folder in it. */
export function writeArtifacts(prefix: string, artifacts: readonly Artifact[]): string {
  const root = tempDir(prefix);
  for (const a of artifacts) {
    mkdirSync(dirname(join(root, a.path)), { recursive: true });
    writeFileSync(join(root, a.path), a.content);
  }
  return join(root, 'dist', 'k8s');
}
