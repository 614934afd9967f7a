/**
 * Operator mode against the real API server with the Prometheus Operator's own CRDs (v0.90.1, copied from its Go
 * module by `npm run tools`): the CRDs are created, then every generated object, the Prometheus, ServiceMonitor and
 * PrometheusRule resources among them, passes a server-side dry-run apply with strict field validation, so the CRD
 * schemas (types, enums, unknown fields) accept them as generated. No Operator runs here: this proves the resources
 * are what the CRDs accept, not what the Operator makes of them.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { resolveSpec } from '../../src/spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { PROMETHEUS_OPERATOR_VERSION } from '../../tools/pins';
import { fullSpecInput } from '../fixtures/full-spec';
import { apiServerForSuite, type KubectlRun } from '../support/kube-apiserver';
import { describeWithTools, requireTools, toolsDir } from '../support/tools';
import { manifestsOf, writeArtifacts, type Obj } from './manifests';

const CRD_DIR = join(toolsDir(), `prometheus-operator-crds-v${PROMETHEUS_OPERATOR_VERSION}`);
const CRDS = ['prometheuses', 'servicemonitors', 'prometheusrules', 'alertmanagers'] as const;

const clean = (run: KubectlRun) => ({ status: run.status, stderr: run.stderr.split('\n').filter((l) => l.trim() !== '') });
const CLEAN = { status: 0, stderr: [] };

const spec = resolveSpec({ ...fullSpecInput, namespace: 'obskit-operator', kubernetes: { ...fullSpecInput.kubernetes, mode: 'operator' } });
const artifacts = buildArtifacts(spec).filter((a) => a.path.startsWith('dist/k8s/'));
const all = manifestsOf(artifacts);
const dir = writeArtifacts('operator-apiserver', artifacts);
afterAll(() => rmSync(dirname(dirname(dir)), { recursive: true, force: true }));

const haveCrds = existsSync(join(CRD_DIR, 'monitoring.coreos.com_prometheuses.yaml'));
if (!haveCrds && requireTools()) throw new Error(`no Prometheus Operator CRDs in ${CRD_DIR}: run npm run tools`);
if (!haveCrds) console.warn(`skipping operator mode against the API server: no CRDs in ${CRD_DIR} (npm run tools)`);

(haveCrds ? describeWithTools : (title: string) => describe.skip(title, () => undefined))(
  `operator mode against the Kubernetes API server with the Prometheus Operator ${PROMETHEUS_OPERATOR_VERSION} CRDs`,
  ['etcd', 'kube-apiserver', 'kubectl'],
  (tools) => {
    const server = apiServerForSuite(tools);

    /** Polls until the API server serves the CRD (`kubectl wait` errors while the CRD has no conditions yet). */
    const waitEstablished = (name: string): void => {
      const jsonpath = '{.status.conditions[?(@.type=="Established")].status}';
      for (let attempt = 0; attempt < 120; attempt++) {
        if (server().kubectl(['get', `crd/${name}`, '-o', `jsonpath=${jsonpath}`]).stdout.trim() === 'True') return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      }
      throw new Error(`CRD ${name} was not established within a minute`);
    };

    beforeAll(() => {
      for (const crd of CRDS) {
        const file = join(CRD_DIR, `monitoring.coreos.com_${crd}.yaml`);
        // Server-side: the CRDs are too large for the last-applied annotation of a client-side apply.
        const created = server().kubectl(['apply', '--server-side', '-f', file]);
        expect(clean(created)).toEqual(CLEAN);
      }
      for (const crd of CRDS) waitEstablished(`${crd}.monitoring.coreos.com`);
      expect(clean(server().kubectl(['apply', '--server-side', '-f', join(dir, 'namespace.yaml')]))).toEqual(CLEAN);
    }, 180_000);

    it('accepts every object, the Operator resources included, with a server-side apply (dry run, strict), no warning', () => {
      const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
      const run = server().kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', ...files.flatMap((f) => ['-f', join(dir, f)])]);
      expect(clean(run)).toEqual(CLEAN);
      expect(run.stdout.trim().split('\n')).toHaveLength(all.length);
      for (const kind of ['prometheus.monitoring.coreos.com/obskit', 'servicemonitor.monitoring.coreos.com/prometheus', 'prometheusrule.monitoring.coreos.com/obskit-stack-health']) {
        expect(run.stdout).toContain(`${kind} serverside-applied (server dry run)`);
      }
    });

    it('can fail: refuses a ServiceMonitor field the CRD does not have, and a value its schema forbids', () => {
      const monitor = all.find((m) => m.object.kind === 'ServiceMonitor')!.object;
      const unknownField: Obj = { ...monitor, spec: { ...monitor.spec, scrapeEvery: '30s' } };
      const badAction: Obj = {
        ...monitor,
        spec: { ...monitor.spec, endpoints: [{ ...monitor.spec.endpoints[0], relabelings: [{ action: 'rename' }] }] },
      };
      const first = server().kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', '-f', '-'], stringify(unknownField));
      expect(first.status).not.toBe(0);
      expect(first.stderr).toMatch(/\.spec\.scrapeEvery: field not declared in schema/);
      const second = server().kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', '-f', '-'], stringify(badAction));
      expect(second.status).not.toBe(0);
      expect(second.stderr).toMatch(/action/);
    });
  },
);
