/**
 * Every generated manifest against the real Kubernetes API server (kube-apiserver and etcd at the pinned release,
 * built by `npm run tools`, on 127.0.0.1): the namespace is created from namespace.yaml as the README says, with
 * Pod Security `restricted` enforced; every object passes a server-side dry-run apply with strict field validation,
 * and `kubectl apply -k` (the README's form); every pod template, created as the Pod its controller would make,
 * is admitted by Pod Security. Zero errors and zero warnings. The node agent (dist/k8s-node-agent) is applied the same
 * way in its own namespace, where Pod Security enforces `privileged`: the only warnings are restricted's, naming exactly
 * its hostPath volume and user 0, and the same pod is refused in the stack's namespace.
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { defineStack, resolveSpec, type StackSpec } from '../../src/spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { KUBERNETES_VERSION } from '../../tools/pins';
import { fullSpec, fullSpecInput } from '../fixtures/full-spec';
import { haSpec } from '../fixtures/ha-spec';
import { apiServerForSuite, type ApiServer, type KubectlRun } from '../support/kube-apiserver';
import { listeningSockets } from '../live/support/processes';
import { describeWithTools } from '../support/tools';
import { find, manifestsOf, podSpecOf, writeArtifacts, type Manifest, type Obj } from './manifests';
import { serviceAccountsOf, templatePods } from './pods';

const SPECS: readonly [string, StackSpec][] = [
  ['full spec', fullSpec],
  ['minimal spec', resolveSpec(defineStack({ namespace: 'obskit-minimal', services: [] }))],
  ['full spec with the ha profile', haSpec],
  [
    'spec with a service in another namespace and a StorageClass',
    resolveSpec({
      ...fullSpecInput,
      namespace: 'obskit-spread',
      services: [...fullSpecInput.services, { name: 'billing', port: 8080, namespace: 'payments' }],
      storage: { storageClass: 'fast-ssd' },
    }),
  ],
];

const POD_SECURITY_MODES = ['enforce', 'warn', 'audit'] as const;

const written: string[] = [];
afterAll(() => written.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** dist/k8s as synth writes it (rule files and dashboards included), in a fresh folder removed after the suite. */
function writeK8s(spec: StackSpec): { dir: string; all: Manifest[] } {
  const artifacts = buildArtifacts(spec).filter((a) => a.path.startsWith('dist/k8s/'));
  const dir = writeArtifacts('apiserver', artifacts);
  written.push(dirname(dirname(dir)));
  return { dir, all: manifestsOf(artifacts) };
}

const manifestFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort()
    .map((f) => join(dir, f));

const documents = (objects: readonly Obj[]): string => objects.map((o) => stringify(o)).join('---\n');

/** What must be true of a clean run: success, and nothing on stderr (where kubectl prints the server's warnings). */
const clean = (run: KubectlRun) => ({ status: run.status, stderr: run.stderr.split('\n').filter((l) => l.trim() !== '') });
const CLEAN = { status: 0, stderr: [] };

/**
 * What pods need to exist before them: their ServiceAccounts (ServiceAccount admission), the stack's and `default`,
 * and the PriorityClass they name (Priority admission).
 */
function createServiceAccounts(server: ApiServer, all: readonly Manifest[], namespace: string): void {
  const accounts = all.filter((m) => ['ServiceAccount', 'PriorityClass'].includes(m.object.kind)).map((m) => m.object);
  if (accounts.length > 0) {
    const run = server.kubectl(['apply', '--server-side', '-f', '-'], documents(accounts));
    expect(clean(run)).toEqual(CLEAN);
  }
  // kube-controller-manager makes `default` in every namespace; nothing runs it here.
  const named = serviceAccountsOf(templatePods(all)).filter((a) => a.namespace === namespace && a.name === 'default');
  if (named.length > 0) {
    const run = server.kubectl(['apply', '--server-side', '-f', '-'], stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }));
    expect(clean(run)).toEqual(CLEAN);
  }
}

describeWithTools(
  `dist/k8s against the Kubernetes API server ${KUBERNETES_VERSION} (Pod Security restricted)`,
  ['etcd', 'kube-apiserver', 'kubectl'],
  (tools) => {
    const server = apiServerForSuite(tools);

    it('runs etcd and kube-apiserver on 127.0.0.1 only', () => {
      const sockets = listeningSockets(server().pids);
      if (sockets === undefined) return; // no /proc: nothing to inspect
      expect(sockets.length).toBeGreaterThan(0);
      expect(sockets.filter((s) => s.address !== '127.0.0.1')).toEqual([]);
    });

    describe.each(SPECS)('the %s', (_, spec) => {
      const { dir, all } = writeK8s(spec);
      const pods = templatePods(all);
      // Client-side and server-side apply each own what they created, and mixing them on one object makes kubectl
      // warn; so the server-side flow gets the same stack in a namespace of its own, as a fresh cluster would.
      const serverSide = writeK8s({ ...spec, namespace: `${spec.namespace}-ssa` });

      it('creates its namespace from namespace.yaml (kubectl apply -f), Pod Security restricted enforced, warned and audited', () => {
        expect(clean(server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]))).toEqual(CLEAN);
        const run = server().kubectl(['get', 'namespace', spec.namespace, '-o', 'json']);
        expect(run.status).toBe(0);
        const labels = (JSON.parse(run.stdout) as Obj).metadata.labels as Record<string, string>;
        for (const mode of POD_SECURITY_MODES) expect([mode, labels[`pod-security.kubernetes.io/${mode}`]]).toEqual([mode, 'restricted']);
      });

      it('accepts `kubectl apply -k dist/k8s` (the README form, client-side apply), dry run, strict, no warning', () => {
        const run = server().kubectl(['apply', '-k', dir, '--dry-run=server', '--validate=strict']);
        expect(clean(run)).toEqual(CLEAN);
        expect(run.stdout.trim().split('\n')).toHaveLength(all.length);
      });

      it('accepts every object with a server-side apply (dry run, strict field validation), no warning', () => {
        const files = manifestFiles(serverSide.dir);
        const namespace = server().kubectl(['apply', '--server-side', '--validate=strict', '-f', join(serverSide.dir, 'namespace.yaml')]);
        expect(clean(namespace)).toEqual(CLEAN);
        const run = server().kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', ...files.flatMap((f) => ['-f', f])]);
        expect(clean(run)).toEqual(CLEAN);
        expect(run.stdout.trim().split('\n')).toHaveLength(serverSide.all.length);
      });

      it('admits every pod template as a Pod under Pod Security restricted, with no warning', () => {
        expect(pods.length).toBeGreaterThan(0);
        createServiceAccounts(server(), all, spec.namespace);
        const run = server().kubectl(['create', '--dry-run=server', '--validate=strict', '-f', '-'], documents(pods.map((p) => p.pod)));
        expect(clean(run)).toEqual(CLEAN);
        expect(run.stdout.trim().split('\n').sort()).toEqual(
          pods.map((p) => `pod/${p.pod.metadata.name} created (server dry run)`).sort(),
        );
      });
    });

    describe('the node agent (dist/k8s-node-agent of the full spec), in its own namespace', () => {
      const artifacts = buildArtifacts(fullSpec).filter((a) => a.path.startsWith('dist/k8s-node-agent/'));
      const dir = join(dirname(writeArtifacts('apiserver-agent', artifacts)), 'k8s-node-agent');
      written.push(dirname(dirname(dir)));
      const all = manifestsOf(artifacts);
      const namespace = `${fullSpec.namespace}-node-agent`;
      // What Pod Security `restricted` would refuse, and `privileged` admits: exactly the agent's documented deviations.
      const DEVIATIONS = /^Warning: would violate PodSecurity "restricted:latest": restricted volume types \(volume "pod-logs" uses restricted volume type "hostPath"\), runAsNonRoot != true \(pod and container "otel-node-agent" must not set securityContext.runAsNonRoot=false\), runAsUser=0 \(pod and container "otel-node-agent" must not set runAsUser=0\)$/;

      it('creates its namespace from namespace.yaml, Pod Security privileged enforced, restricted warned and audited', () => {
        expect(clean(server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]))).toEqual(CLEAN);
        const run = server().kubectl(['get', 'namespace', namespace, '-o', 'json']);
        const labels = (JSON.parse(run.stdout) as Obj).metadata.labels as Record<string, string>;
        expect(POD_SECURITY_MODES.map((mode) => labels[`pod-security.kubernetes.io/${mode}`])).toEqual(['privileged', 'restricted', 'restricted']);
      });

      it('accepts `kubectl apply -k dist/k8s-node-agent` (dry run, strict), warning only of the hostPath volume and user 0', () => {
        const run = server().kubectl(['apply', '-k', dir, '--dry-run=server', '--validate=strict']);
        expect(run.status).toBe(0);
        expect(run.warnings).toEqual([expect.stringMatching(DEVIATIONS)]);
        expect(run.stdout.trim().split('\n')).toHaveLength(all.length);
      });

      it('admits its pod under Pod Security privileged, and restricted would refuse it for exactly those reasons', () => {
        createServiceAccounts(server(), all, namespace);
        const pods = templatePods(all);
        expect(pods.map((p) => p.pod.metadata.namespace)).toEqual([namespace]);
        const run = server().kubectl(['create', '--dry-run=server', '--validate=strict', '-f', '-'], documents(pods.map((p) => p.pod)));
        expect(run.status).toBe(0);
        expect(run.warnings).toEqual([expect.stringMatching(DEVIATIONS)]);
        // The same pod in the stack's namespace (restricted enforced), as its `default` ServiceAccount.
        const stackNamespace = writeK8s(fullSpec).dir;
        expect(server().kubectl(['apply', '-f', join(stackNamespace, 'namespace.yaml')]).status).toBe(0);
        const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: fullSpec.namespace } };
        expect(server().kubectl(['apply', '--server-side', '-f', '-'], stringify(account)).status).toBe(0);
        const inStack = structuredClone(pods[0]!.pod);
        inStack.metadata.namespace = fullSpec.namespace;
        delete inStack.spec.serviceAccountName;
        const refused = server().kubectl(['create', '--dry-run=server', '-f', '-'], stringify(inStack));
        expect(refused.status).not.toBe(0);
        expect(refused.stderr).toMatch(/violates PodSecurity "restricted:latest": restricted volume types/);
      });
    });

    describe.each([
      ['tailing pod logs too (the full spec)', haSpec, true],
      ['forwarding OTLP only (no pod logs)', resolveSpec({ ...fullSpecInput, namespace: 'obskit-ha-agent', profile: 'ha', intake: { ...fullSpecInput.intake, logFiles: { nodeAgent: false } } }), false],
    ])('the ha profile\'s node agent and its node-local Service, %s', (_, spec, tailsPods) => {
      const artifacts = buildArtifacts(spec).filter((a) => a.path.startsWith('dist/k8s-node-agent/'));
      const dir = join(dirname(writeArtifacts(`apiserver-ha-agent-${spec.namespace}`, artifacts)), 'k8s-node-agent');
      written.push(dirname(dirname(dir)));
      const all = manifestsOf(artifacts);

      it('accepts `kubectl apply -k dist/k8s-node-agent` (dry run, strict); restricted warns only when it reads pod logs', () => {
        expect(find(all, 'Service', 'otel-node-agent').spec.internalTrafficPolicy).toBe('Local');
        expect(clean(server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]))).toEqual(CLEAN);
        const run = server().kubectl(['apply', '-k', dir, '--dry-run=server', '--validate=strict']);
        expect(run.status).toBe(0);
        expect(run.warnings).toEqual(tailsPods ? [expect.stringMatching(/restricted volume types \(volume "pod-logs"/)] : []);
        expect(run.stdout.trim().split('\n')).toHaveLength(all.length);
      });
    });

    describe('can fail', () => {
      const spec = resolveSpec(defineStack({ namespace: 'obskit-negative', services: [] }));
      const { dir, all } = writeK8s(spec);
      const loki = find(all, 'StatefulSet', 'loki');
      const privileged = (workload: Obj): Obj => {
        const broken = structuredClone(workload);
        const container = podSpecOf(broken).containers[0];
        container.securityContext = { ...container.securityContext, privileged: true, allowPrivilegeEscalation: true };
        return broken;
      };

      beforeAll(() => {
        expect(clean(server().kubectl(['apply', '-f', join(dir, 'namespace.yaml')]))).toEqual(CLEAN);
        createServiceAccounts(server(), all, spec.namespace);
      });

      it('refuses a privileged pod with Pod Security\'s message', () => {
        const [pod] = templatePods([{ file: 'loki.yaml', object: privileged(loki) }]);
        const run = server().kubectl(['create', '--dry-run=server', '--validate=strict', '-f', '-'], stringify(pod!.pod));
        expect(run.status).not.toBe(0);
        expect(run.stderr).toMatch(/violates PodSecurity "restricted:latest": .*privileged/);
      });

      it('warns about a StatefulSet whose pods Pod Security would refuse, and the warning is caught', () => {
        const run = server().kubectl(['apply', '--server-side', '--dry-run=server', '--validate=strict', '-f', '-'], stringify(privileged(loki)));
        expect(run.status).toBe(0);
        expect(run.warnings.join('\n')).toMatch(/^Warning: would violate PodSecurity "restricted:latest": .*privileged/);
        expect(clean(run)).not.toEqual(CLEAN);
      });

      // A misspelt field (it is readOnlyRootFilesystem): each apply form refuses it in its own words.
      const misspelt = structuredClone(loki);
      podSpecOf(misspelt).containers[0].readOnlyRootFileSystem = true;
      it.each([
        ['client-side', [], /strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.readOnlyRootFileSystem"/],
        ['server-side', ['--server-side'], /\.spec\.template\.spec\.containers\[name="loki"\]\.readOnlyRootFileSystem: field not declared in schema/],
      ])('refuses an unknown field in a %s apply, naming it', (_, form, message) => {
        const run = server().kubectl(['apply', ...form, '--dry-run=server', '--validate=strict', '-f', '-'], stringify(misspelt));
        expect(run.status).not.toBe(0);
        expect(run.stderr).toMatch(message);
      });
    });
  },
);
