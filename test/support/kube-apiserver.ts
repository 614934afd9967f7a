/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (built by `npm run tools`) on 127.0.0.1, with
 * a throwaway CA, serving and admin client certificates, service-account keys and a kubeconfig in a temp folder.
 * Nothing runs but the API server: objects are validated, admitted (Pod Security included) and stored; no
 * controller or kubelet acts on them. Each program runs in its own process group and is stopped by it.
 *
 * Use `apiServerForSuite(tools)` in a describe block: one server per test file, started in beforeAll (a few
 * seconds with cached binaries) and stopped in afterAll, which jest runs when tests fail too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePorts, Processes, type Managed } from '../live/support/processes';
import { sleep } from './net';
import { tempDir } from './synth';

export interface ApiServerTools {
  readonly etcd: string;
  readonly 'kube-apiserver': string;
  readonly kubectl: string;
}

export interface KubectlRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The `Warning:` lines kubectl printed (API server warnings, such as Pod Security's). */
  readonly warnings: readonly string[];
}

export interface ApiServer {
  readonly url: string;
  readonly kubeconfig: string;
  /** The PIDs (each its own process group) of etcd and kube-apiserver. */
  readonly pids: readonly number[];
  /** Runs kubectl against this server; never throws on a non-zero exit (callers assert on the run). */
  kubectl(args: readonly string[], input?: string): KubectlRun;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

function openssl(dir: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', [...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('the test API server needs the openssl command for its certificates (Debian: apt-get install openssl)');
    throw new Error(`openssl ${args.join(' ')} failed:\n${e.stderr?.toString() ?? String(error)}`);
  }
}

/** A key and a certificate signed by the CA in `dir`, with the given subject and X.509v3 extensions. */
function issue(dir: string, name: string, subject: string, extensions: readonly string[]): void {
  openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

/** CA, serving certificate for 127.0.0.1, admin client certificate (group system:masters), service-account key. */
function writeCertificates(dir: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=obskit-test-ca']);
  issue(dir, 'server', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  issue(dir, 'admin', '/O=system:masters/CN=obskit-test-admin', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
  ]);
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'service-account.key']);
  openssl(dir, ['pkey', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub']);
}

function writeKubeconfig(dir: string, url: string): string {
  const path = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'obskit-test', cluster: { server: url, 'certificate-authority': join(dir, 'ca.crt') } }],
    users: [{ name: 'admin', user: { 'client-certificate': join(dir, 'admin.crt'), 'client-key': join(dir, 'admin.key') } }],
    contexts: [{ name: 'obskit-test', context: { cluster: 'obskit-test', user: 'admin' } }],
    'current-context': 'obskit-test',
  };
  writeFileSync(path, stringify(config));
  return path;
}

/** GET `path` with the admin certificate; resolves with the status code and body, or rejects on a network error. */
function get(dir: string, url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        ca: readFileSync(join(dir, 'ca.crt')),
        cert: readFileSync(join(dir, 'admin.crt')),
        key: readFileSync(join(dir, 'admin.key')),
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function waitUntil(what: string, programs: readonly Managed[], ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const gone = programs.find((p) => p.exited());
    if (gone) throw new Error(`${gone.name} exited while waiting for ${what}:\n${gone.output().slice(-4000)}`);
    try {
      if (await ready()) return;
    } catch (error) {
      last = String(error);
    }
    await sleep(250);
  }
  const logs = programs.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
  throw new Error(`${what} not ready after ${READY_TIMEOUT_MS / 1000}s (last: ${last})\n${logs}`);
}

const warningsOf = (stderr: string): string[] => stderr.split('\n').filter((l) => /^Warning:/.test(l));

export async function startApiServer(tools: ApiServerTools): Promise<ApiServer> {
  const dir = tempDir('kube-apiserver');
  const processes = new Processes();
  try {
    writeCertificates(dir);
    const [etcdClient, etcdPeer, securePort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    const etcd = processes.start('etcd', tools.etcd, [
      '--name=obskit-test',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=obskit-test=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await waitUntil('etcd', [etcd], async () => {
      const res = await fetch(`${etcdUrl}/health`);
      return res.ok && ((await res.json()) as { health?: string }).health === 'true';
    });

    const url = `https://127.0.0.1:${securePort}`;
    const apiserver = processes.start('kube-apiserver', tools['kube-apiserver'], [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      // The default reconciler refuses a loopback advertise address; nothing here needs the kubernetes Endpoints.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${dir}`,
      `--tls-cert-file=${join(dir, 'server.crt')}`,
      `--tls-private-key-file=${join(dir, 'server.key')}`,
      `--client-ca-file=${join(dir, 'ca.crt')}`,
      '--authorization-mode=RBAC',
      '--anonymous-auth=false',
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${join(dir, 'service-account.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'service-account.key')}`,
      `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PodSecurity,ResourceQuota',
      // Otherwise a privileged container is refused before Pod Security sees it, hiding Pod Security's verdict.
      '--allow-privileged=true',
      '--profiling=false',
    ]);
    await waitUntil('kube-apiserver /readyz', [etcd, apiserver], async () => {
      const res = await get(dir, url, '/readyz');
      return res.status === 200 && res.body.trim() === 'ok';
    });

    const kubeconfig = writeKubeconfig(dir, url);
    let stopped = false;
    return {
      url,
      kubeconfig,
      pids: [etcd.pid, apiserver.pid],
      kubectl(args, input) {
        const run = spawnSync(tools.kubectl, [`--kubeconfig=${kubeconfig}`, ...args], {
          input,
          encoding: 'utf8',
          timeout: 120_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        if (run.error) throw run.error;
        return { status: run.status, stdout: run.stdout, stderr: run.stderr, warnings: warningsOf(run.stderr) };
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await processes.stopAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One API server for the enclosing describe block: started in beforeAll, stopped in afterAll (also after a
 * failure). Returns a getter, valid inside tests.
 */
export function apiServerForSuite(tools: ApiServerTools): () => ApiServer {
  let server: ApiServer | undefined;
  beforeAll(async () => {
    server = await startApiServer(tools);
  }, READY_TIMEOUT_MS * 2 + 30_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);
  return () => {
    if (!server) throw new Error('the API server did not start (see the beforeAll error)');
    return server;
  };
}
