import type { StackSpec } from '../spec';
import { listenAddress, type RenderContext } from './context';

/**
 * Thanos Receive and Query for the `ha` profile (flags and files of the pinned Thanos, v0.42.5; read in its module's
 * cmd/thanos/receive.go, query.go and docs/components/*.md).
 *
 * Receive: every replica is a member of one hashring (ketama), and each series is written to `replicationFactor`
 * members; the replica names itself in the hashring by `--receive.local-endpoint`, which must be exactly its entry
 * there. Each replica announces `receive_replica=<its name>`, so Query sees the copies as replicas of one series.
 * Query: reads every Receive member over gRPC and deduplicates along `replica` (the Prometheus pair) and
 * `receive_replica` (the hashring copies).
 *
 * The addresses come in a ThanosContext: Kubernetes names the StatefulSet's pods through its headless Service
 * (thanosKubernetesContext); the live test (test/live/scale.test.ts) passes loopback addresses instead.
 */

/** The external label Prometheus puts on everything it sends, naming its replica (deduplicated at query time). */
export const PROMETHEUS_REPLICA_LABEL = 'replica';
/** The label each Receive member announces; copies of one series differ only in it. */
export const RECEIVE_REPLICA_LABEL = 'receive_replica';
/** The hashring file's name inside its ConfigMap. */
export const HASHRING_FILE = 'hashrings.json';
/** Query's endpoint file's name inside its ConfigMap. */
export const QUERY_ENDPOINTS_FILE = 'endpoints.yaml';
/** The objstore config's name inside its ConfigMap. */
export const OBJSTORE_FILE = 'objstore.yaml';

/** Where one Receive member listens and what it calls itself. */
export interface ReceiveMember {
  /** Its name, announced as `receive_replica`. */
  readonly name: string;
  /** Its gRPC address as the hashring and Query know it. */
  readonly endpoint: string;
  readonly listen: { readonly grpc: string; readonly http: string; readonly remoteWrite: string; readonly capnproto: string };
}

export interface ThanosContext {
  /** The hashring members, in order. */
  readonly members: readonly ReceiveMember[];
  /** The URL Prometheus remote-writes to (a Service in front of every member: any member forwards to the owners). */
  readonly remoteWriteUrl: string;
  /** Where Query listens. */
  readonly queryListen: { readonly grpc: string; readonly http: string };
  /** Query's URL, Grafana's Prometheus datasource. */
  readonly queryUrl: string;
}

/**
 * The Kubernetes addresses: member i is pod `thanos-receive-<i>` of the StatefulSet, named through its headless
 * Service; each listens on every interface. `$(POD_NAME)` in a member's own flags is expanded by the kubelet.
 */
export function thanosKubernetesContext(spec: StackSpec, ctx: RenderContext): ThanosContext {
  const receive = ctx.hosts['thanos-receive'];
  const ports = ctx.ports['thanos-receive'];
  const query = ctx.ports['thanos-query'];
  const members = Array.from({ length: spec.ha.thanosReceive.replicas }, (_, i) => memberAt(ctx, `${receive}-${i}`));
  return {
    members,
    remoteWriteUrl: `http://${receive}:${ports.remoteWrite}/api/v1/receive`,
    queryListen: { grpc: listenAddress(ctx, query.grpc), http: listenAddress(ctx, query.http) },
    queryUrl: `http://${ctx.hosts['thanos-query']}:${query.http}`,
  };
}

/** Member `pod` of the Receive StatefulSet, named through its headless Service. */
function memberAt(ctx: RenderContext, pod: string): ReceiveMember {
  const ports = ctx.ports['thanos-receive'];
  return {
    name: pod,
    endpoint: `${pod}.${ctx.hosts['thanos-receive']}-headless:${ports.grpc}`,
    listen: {
      grpc: listenAddress(ctx, ports.grpc),
      http: listenAddress(ctx, ports.http),
      remoteWrite: listenAddress(ctx, ports.remoteWrite),
      capnproto: listenAddress(ctx, ports.capnproto),
    },
  };
}

/** The member as its own pod sees itself: the kubelet expands `$(POD_NAME)` in args. */
export function kubernetesSelf(ctx: RenderContext, podNameEnv: string): ReceiveMember {
  return memberAt(ctx, `$(${podNameEnv})`);
}

/** The hashring file: one hashring holding every member. */
export function renderHashrings(t: ThanosContext): string {
  return `${JSON.stringify([{ hashring: 'default', endpoints: t.members.map((m) => m.endpoint) }], null, 2)}\n`;
}

/** Query's endpoint file (`--endpoint.sd-config-file`): every Receive member's gRPC address. */
export function renderQueryEndpoints(t: ThanosContext): Record<string, unknown> {
  return { endpoints: t.members.map((m) => ({ address: m.endpoint })) };
}

/**
 * The objstore config for `ha.objectStorage`: an S3 bucket with no credentials in it. With `access_key` empty Thanos
 * (objstore's s3 provider) takes them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which the pods read from the
 * Secret the spec names. Undefined without object storage.
 */
export function renderObjstoreConfig(spec: StackSpec): Record<string, unknown> | undefined {
  const store = spec.ha.objectStorage;
  if (!store) return undefined;
  return {
    type: 'S3',
    config: {
      bucket: store.bucket,
      endpoint: store.endpoint,
      ...(store.region ? { region: store.region } : {}),
      insecure: store.insecure ?? false,
    },
  };
}

/** Flags of one Receive member. */
export function receiveArgs(
  spec: StackSpec,
  self: ReceiveMember,
  files: { hashrings: string; dataDir: string; objstore?: string },
): string[] {
  const receive = spec.ha.thanosReceive;
  return [
    'receive',
    `--grpc-address=${self.listen.grpc}`,
    `--http-address=${self.listen.http}`,
    `--remote-write.address=${self.listen.remoteWrite}`,
    // Always served (v0.42 listens for Cap'n Proto replication whatever the protocol): bound like the others.
    `--receive.capnproto-address=${self.listen.capnproto}`,
    `--tsdb.path=${files.dataDir}`,
    `--tsdb.retention=${receive.retention}`,
    `--label=${RECEIVE_REPLICA_LABEL}="${self.name}"`,
    `--receive.replication-factor=${receive.replicationFactor}`,
    `--receive.hashrings-file=${files.hashrings}`,
    '--receive.hashrings-algorithm=ketama',
    `--receive.local-endpoint=${self.endpoint}`,
    ...(files.objstore ? [`--objstore.config-file=${files.objstore}`] : []),
  ];
}

/** Flags of Query. */
export function queryArgs(t: ThanosContext, files: { endpoints: string }): string[] {
  return [
    'query',
    `--grpc-address=${t.queryListen.grpc}`,
    `--http-address=${t.queryListen.http}`,
    `--endpoint.sd-config-file=${files.endpoints}`,
    `--query.replica-label=${PROMETHEUS_REPLICA_LABEL}`,
    `--query.replica-label=${RECEIVE_REPLICA_LABEL}`,
  ];
}
