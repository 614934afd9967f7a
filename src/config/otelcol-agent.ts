import type { StackSpec } from '../spec';
import { listenAddress, type RenderContext } from './context';
import { podLogReceiver } from './filelog';
import { collectorSecretFile, OTLP_AUTHENTICATOR } from './otelcol';

/**
 * The Kubernetes node agent (`intake.logFiles.nodeAgent`): a collector on every node that tails the pods' stdout and
 * stderr and forwards them over OTLP gRPC to the stack's collector Service, which processes them like any OTLP logs
 * (memory limiter, masking, environment, batching) and exports them to Loki. Same pinned build as the gateway.
 */

/** The namespace the agent runs in: its own, since reading host folders is not allowed under Pod Security `restricted`. */
export const nodeAgentNamespace = (spec: StackSpec): string => `${spec.namespace}-node-agent`;
/** Name of the agent's DaemonSet, ConfigMap, ServiceAccount and NetworkPolicy. */
export const NODE_AGENT = 'otel-node-agent';

export function renderNodeAgentConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const ports = ctx.ports.collector;
  const token = spec.intake.otlpToken;
  return {
    receivers: { 'filelog/pods': podLogReceiver(ctx.paths.podLogs, nodeAgentNamespace(spec)) },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 2048, send_batch_max_size: 4096, timeout: '1s' },
    },
    exporters: {
      'otlp_grpc/gateway': {
        // The stack's collector Service, across namespaces.
        endpoint: `${ctx.hosts.collector}.${spec.namespace}.svc:${ports.otlpGrpc}`,
        tls: { insecure: true },
        ...(token && { auth: { authenticator: OTLP_AUTHENTICATOR } }),
        timeout: '10s',
        sending_queue: { enabled: true, num_consumers: 2, queue_size: 1000 },
        retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
      },
    },
    extensions: {
      health_check: { endpoint: listenAddress(ctx, ports.health) },
      // The same Secret as the gateway's, created in the agent's namespace too (a pod mounts Secrets of its own namespace only).
      ...(token && { [OTLP_AUTHENTICATOR]: { filename: collectorSecretFile(ctx, token) } }),
    },
    service: {
      extensions: ['health_check', ...(token ? [OTLP_AUTHENTICATOR] : [])],
      telemetry: { logs: { level: 'info', encoding: 'json' }, metrics: { level: 'none' } },
      pipelines: {
        logs: { receivers: ['filelog/pods'], processors: ['memory_limiter', 'batch'], exporters: ['otlp_grpc/gateway'] },
      },
    },
  };
}
