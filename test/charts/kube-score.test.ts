/**
 * kube-score (a third-party policy checker, pinned in src/charts/policy-exceptions.ts and installed by
 * npm run tools) over dist/k8s: zero findings, with exactly the exceptions listed, each with its
 * reason, in policy-exceptions.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { kubernetesArtifacts } from '../../src/charts';
import {
  FLAG_EXCEPTIONS,
  KUBE_SCORE_IGNORE_ANNOTATION,
  KUBE_SCORE_VERSION,
  OBJECT_EXCEPTIONS,
} from '../../src/charts/policy-exceptions';
import { renderContext } from '../../src/config/context';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { fullSpec, fullSpecInput } from '../fixtures/full-spec';
import { haExternalStoreSpec, haSpec } from '../fixtures/ha-spec';
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

interface Run {
  readonly status: number;
  readonly output: string;
}

/**
 * `kube-score score` in CI format over every manifest file of a dist/k8s folder and, when the spec has a node agent,
 * of dist/k8s-node-agent beside it, with the listed flags.
 */
function kubeScore(tool: string, dir: string): Run {
  const files = [dir, join(dirname(dir), 'k8s-node-agent')]
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').map((f) => join(d, f)));
  const args = ['score', '--output-format', 'ci', '--exit-one-on-warning', ...FLAG_EXCEPTIONS.map((e) => e.flag), ...files];
  try {
    return { status: 0, output: execFileSync(tool, args, { encoding: 'utf8', timeout: 60_000 }) };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const findings = (run: Run) => run.output.split('\n').filter((l) => /^\[(WARNING|CRITICAL)\]/.test(l));

describe('kube-score exceptions', () => {
  it('gives every exception a reason', () => {
    for (const e of [...OBJECT_EXCEPTIONS, ...FLAG_EXCEPTIONS]) expect(e.reason.length).toBeGreaterThan(40);
  });

  it('waives nothing in the manifests that is not listed, and lists nothing that is not used', () => {
    const used = new Set<string>();
    for (const [, s] of SPECS) {
      for (const { object } of manifestsOf(kubernetesArtifacts(s))) {
        const ignored = object.metadata.annotations?.[KUBE_SCORE_IGNORE_ANNOTATION] as string | undefined;
        if (!ignored) continue;
        for (const check of ignored.split(',')) {
          const listed = OBJECT_EXCEPTIONS.find(
            (e) =>
              e.check === check &&
              (e.mode ?? s.kubernetes.mode) === s.kubernetes.mode &&
              e.kind === object.kind &&
              ('component' in e.object ? ctx.hosts[e.object.component] : e.object.name) === object.metadata.name,
          );
          expect([object.kind, object.metadata.name, check, listed ? 'listed' : 'not listed']).toEqual([
            object.kind,
            object.metadata.name,
            check,
            'listed',
          ]);
          if (listed) used.add(String(OBJECT_EXCEPTIONS.indexOf(listed)));
        }
      }
    }
    expect(used.size).toBe(OBJECT_EXCEPTIONS.length);
  });
});

describeWithTools(`dist/k8s against kube-score ${KUBE_SCORE_VERSION}`, ['kube-score'], ({ 'kube-score': tool }) => {
  it.each(SPECS)('finds nothing in the manifests of the %s', (_, s) => {
    const run = kubeScore(tool, writeArtifacts('kube-score', kubernetesArtifacts(s)));
    // The full spec has the node agent: its DaemonSet is scored too.
    if (s.intake.logFiles.nodeAgent) expect(run.output).toMatch(/otel-node-agent\/\S+-node-agent apps\/v1\/DaemonSet/);
    expect(findings(run)).toEqual([]);
    expect(run.output).toMatch(/^\[OK\]/m);
    expect(run.status).toBe(0);
  });

  it('can fail: a container without resources and a security context is reported', () => {
    const dir = writeArtifacts('kube-score-broken', kubernetesArtifacts(resolveSpec(stack)));
    const objects = manifestsOf(kubernetesArtifacts(resolveSpec(stack)));
    const loki = objects.find((m) => m.object.kind === 'StatefulSet' && m.object.metadata.name === 'loki')!.object;
    const broken: Obj = structuredClone(loki);
    const container = broken.spec.template.spec.containers[0];
    delete container.resources;
    delete container.securityContext;
    delete broken.spec.template.spec.securityContext;
    writeFileSync(join(dir, 'loki.yaml'), stringify(broken));
    const run = kubeScore(tool, dir);
    expect(findings(run).join('\n')).toMatch(/loki.*(security context|resource|limit)/i);
    expect(run.status).not.toBe(0);
  });
});
