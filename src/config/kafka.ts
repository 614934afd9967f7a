/**
 * The Kafka obskit deploys for Tempo's microservices (`ha` with object storage, no ha.tempo.kafka): three combined
 * broker+controller nodes in KRaft mode from the official apache/kafka image, configured by its documented KAFKA_*
 * environment (each KAFKA_FOO_BAR becomes the server property foo.bar; docker/examples in apache/kafka).
 *
 * Durability: every partition has 3 replicas and a write (Tempo's producer asks for acks from all in-sync replicas)
 * needs 2 of them (min.insync.replicas), so one node may be down — the PodDisruptionBudget allows one — without
 * refusing or losing an acknowledged span. Partitions: one per live-store (ha.tempo.liveStoreReplicas), which Tempo
 * also asks for when it creates the topic.
 */
import { createHash } from 'node:crypto';
import type { StackSpec } from '../spec';
import type { RenderContext } from './context';

/** KRaft voters: three combined nodes keep a quorum with one down. */
export const KAFKA_NODES = 3;
/** Copies of each partition, and how many must have a write before it is acknowledged. */
export const KAFKA_REPLICATION_FACTOR = 3;
export const KAFKA_MIN_IN_SYNC_REPLICAS = 2;
/** Where each node's PersistentVolumeClaim is mounted (the image's data volume) and the log directory inside it (not its root, which may hold lost+found). */
export const KAFKA_DATA_PATH = '/var/lib/kafka/data';
/** The image's launch script writes the final server.properties here, and kafka-run-class.sh its log files to LOG_DIR. */
export const KAFKA_CONFIG_PATH = '/opt/kafka/config';
export const KAFKA_LOG_DIR = '/opt/kafka/logs';

/** The headless Service that gives each node its stable name (kafka-0.kafka-headless). */
export const kafkaHeadless = (ctx: RenderContext): string => `${ctx.hosts.kafka}-headless`;

/**
 * A KRaft cluster id: 16 bytes, base64url without padding (what `kafka-storage.sh random-uuid` prints), derived from
 * the namespace so every synth gives the same one and two stacks never share one. Not a secret.
 */
export function kafkaClusterId(spec: StackSpec): string {
  return createHash('sha256').update(`obskit-kafka/${spec.namespace}`).digest().subarray(0, 16).toString('base64url');
}

/**
 * The environment of every node. KAFKA_NODE_ID comes from the pod's ordinal (the `apps.kubernetes.io/pod-index`
 * label) and the advertised listener from its name, both by the downward API (src/charts/kafka.ts).
 */
export function kafkaEnvironment(spec: StackSpec, ctx: RenderContext): Record<string, string> {
  const { client, controller } = ctx.ports.kafka;
  const headless = kafkaHeadless(ctx);
  const voters = Array.from({ length: KAFKA_NODES }, (_, i) => `${i}@${ctx.hosts.kafka}-${i}.${headless}:${controller}`).join(',');
  const partitions = spec.ha.tempo.liveStoreReplicas;
  return {
    CLUSTER_ID: kafkaClusterId(spec),
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: `PLAINTEXT://:${client},CONTROLLER://:${controller}`,
    // $(POD_NAME) is expanded by the kubelet from the variable defined before it.
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://$(POD_NAME).${headless}:${client}`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: voters,
    KAFKA_LOG_DIRS: `${KAFKA_DATA_PATH}/logs`,
    KAFKA_NUM_PARTITIONS: String(partitions),
    KAFKA_DEFAULT_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_MIN_INSYNC_REPLICAS: String(KAFKA_MIN_IN_SYNC_REPLICAS),
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(KAFKA_REPLICATION_FACTOR),
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: String(KAFKA_MIN_IN_SYNC_REPLICAS),
    // Half the container's memory (resources.kafka) for the heap; the rest is page cache, which Kafka reads through.
    KAFKA_HEAP_OPTS: '-Xms1g -Xmx1g',
    LOG_DIR: KAFKA_LOG_DIR,
  };
}
