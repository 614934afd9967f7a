/**
 * checkov (a third-party policy checker from PyPI, pinned in src/charts/checkov-exceptions.ts and
 * tools/checkov/requirements.txt, installed by tools/checkov/install.sh) over dist/k8s: zero failed checks, with
 * exactly the exceptions listed, each with its reason, in checkov-exceptions.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { kubernetesArtifacts } from '../../src/charts';
import {
  CHECKOV_OBJECT_EXCEPTIONS,
  CHECKOV_SKIP_ANNOTATION_PREFIX,
  CHECKOV_SKIPPED_CHECKS,
  CHECKOV_VERSION,
} from '../../src/charts/checkov-exceptions';
import { renderContext } from '../../src/config/context';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec, fullSpecInput } from '../fixtures/full-spec';
import { haExternalStoreSpec, haSpec } from '../fixtures/ha-spec';
import { REPO_ROOT } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { manifestsOf, writeArtifacts, type Obj } from './manifests';

const ctx = renderContext('kubernetes');
const SPECS: readonly [string, StackSpec][] = [
  ['demo spec', resolveSpec(stack)],
  ['full spec', fullSpec],
  ['full spec in operator mode', resolveSpec({ ...fullSpecInput, kubernetes: { ...fullSpecInput.kubernetes, mode: 'operator' } })],
  ['demo spec with tail sampling (collector peers Service)', resolveSpec({ ...stack, sampling: { tail: { percent: 10 } } })],
  ['full spec with the ha profile', haSpec],
  ['ha profile writing to an external store', haExternalStoreSpec],
];

interface Failed {
  readonly check_id: string;
  readonly resource: string;
  readonly file_path: string;
}
interface Report {
  readonly results: { readonly failed_checks: Failed[]; readonly skipped_checks?: { check_id: string; resource: string }[] };
  readonly summary: { readonly passed: number; readonly failed: number; readonly parsing_errors: number };
}

/** checkov over a folder of manifests, offline, with the globally skipped checks; its JSON report. */
/** checkov over a dist/k8s folder and its siblings (dist/k8s-node-agent when the spec has a node agent). */
function checkov(tool: string, dir: string): Report {
  const args = ['-d', dirname(dir), '--framework', 'kubernetes', '--skip-download', '--quiet', '--compact', '-o', 'json'];
  args.push('--skip-check', CHECKOV_SKIPPED_CHECKS.map((c) => c.check).join(','));
  let out: string;
  try {
    out = execFileSync(tool, args, { encoding: 'utf8', timeout: 120_000 });
  } catch (error) {
    // checkov exits 1 when a check fails; the report is still on stdout.
    out = (error as { stdout?: string }).stdout ?? '';
  }
  return JSON.parse(out) as Report;
}

const failures = (r: Report) => r.results.failed_checks.map((f) => `${f.check_id} ${f.resource} (${f.file_path})`);

describe('checkov exceptions', () => {
  it('gives every exception a reason checkov can carry in an annotation', () => {
    for (const e of [...CHECKOV_OBJECT_EXCEPTIONS, ...CHECKOV_SKIPPED_CHECKS]) {
      expect(e.reason.length).toBeGreaterThan(40);
      expect(e.reason).not.toContain('=');
    }
  });

  it('waives nothing in the manifests that is not listed, and lists nothing that is not used', () => {
    const used = new Set<string>();
    for (const [, s] of SPECS) {
      for (const { object } of manifestsOf(kubernetesArtifacts(s))) {
        const annotations = (object.metadata.annotations ?? {}) as Record<string, string>;
        for (const [key, value] of Object.entries(annotations)) {
          if (!key.startsWith(CHECKOV_SKIP_ANNOTATION_PREFIX)) continue;
          const check = value.split('=')[0];
          // A component's exception covers each of its workloads (Tempo's live-store zones are two StatefulSets).
          const labels = (object.metadata.labels ?? {}) as Record<string, string>;
          const listed = CHECKOV_OBJECT_EXCEPTIONS.find(
            (e) =>
              e.check === check &&
              e.kind === object.kind &&
              ('component' in e.object ? labels['app.kubernetes.io/name'] === ctx.hosts[e.object.component] : e.object.name === object.metadata.name),
          );
          expect([object.kind, object.metadata.name, check, listed ? 'listed' : 'not listed']).toEqual([
            object.kind,
            object.metadata.name,
            check,
            'listed',
          ]);
          expect(value).toBe(`${check}=${listed!.reason}`);
          used.add(`${listed!.kind}/${'component' in listed!.object ? listed!.object.component : listed!.object.name}/${check}`);
        }
      }
    }
    expect(used.size).toBe(CHECKOV_OBJECT_EXCEPTIONS.length);
  });

  it('pins the same checkov in the code and in the requirements CI installs', () => {
    const requirements = readFileSync(join(REPO_ROOT, 'tools/checkov/requirements.txt'), 'utf8');
    expect(requirements).toMatch(new RegExp(`^checkov==${CHECKOV_VERSION.replace(/\./g, '\\.')}$`, 'm'));
    for (const line of requirements.split('\n').filter((l) => l.trim() && !l.startsWith('#'))) {
      expect(line).toMatch(/^[A-Za-z0-9_.-]+==\S+$/);
    }
  });
});

describeWithTools(`dist/k8s against checkov ${CHECKOV_VERSION}`, ['checkov'], ({ checkov: tool }) => {
  it.each(SPECS)('finds nothing in the manifests of the %s', (_, s) => {
    const report = checkov(tool, writeArtifacts('checkov', kubernetesArtifacts(s)));
    expect(failures(report)).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(100);
  });

  it('can fail: a privileged container without limits, and an exception that is not annotated, are reported', () => {
    const artifacts = kubernetesArtifacts(resolveSpec(stack));
    const dir = writeArtifacts('checkov-broken', artifacts);
    const objects = manifestsOf(artifacts);
    const loki = objects.find((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === ctx.hosts.loki)!.object;
    const broken: Obj = structuredClone(loki);
    const container = broken.spec.template.spec.containers[0];
    delete container.resources;
    container.securityContext = { ...container.securityContext, privileged: true, allowPrivilegeEscalation: true };
    writeFileSync(join(dir, 'loki.yaml'), stringify(broken));
    const prometheus = objects.find((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === ctx.hosts.prometheus)!;
    const unannotated: Obj = structuredClone(prometheus.object);
    delete unannotated.metadata.annotations;
    writeFileSync(join(dir, 'prometheus.yaml'), stringify(unannotated));
    const found = failures(checkov(tool, dir)).join('\n');
    expect(found).toMatch(/CKV_K8S_16 StatefulSet\.\S+\.loki/); // privileged
    expect(found).toMatch(/CKV_K8S_13 StatefulSet\.\S+\.loki/); // memory limits
    expect(found).toMatch(/CKV_K8S_38 StatefulSet\.\S+\.prometheus/); // the waived check, once the waiver is gone
  });
});
