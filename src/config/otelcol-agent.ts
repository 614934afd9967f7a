import type { StackSpec } from '../spec';
import { listenAddress, type RenderContext } from './context';
import { podLogReceiver } from './filelog';
import { isHa } from './ha';
import { collectorPeersHost, collectorSecretFile, OTLP_AUTHENTICATOR, ROUTER, traceRouter } from './otelcol';

/**
 * The Kubernetes node agent (`intake.logFiles.nodeAgent`): a collector on every node that tails the pods' stdout and
 * stderr and forwards them over OTLP gRPC to the stack's collector Service, which processes them like any OTLP logs
 * (memory limiter, masking, environment, batching) and exports them to Loki. Same pinned build as the gateway.
 *
 * In the `ha` profile the agent is also the pods' OTLP endpoint on their node (a Service with `internalTrafficPolicy:
 * Local`): it sends metrics and logs to the gateway Service, and balances traces by trace id over the gateways (their
 * headless Service) straight to the `otlp/routed` port of the one that tail-samples the trace. It only forwards:
 * sampling, masking, dropping and capping stay on the gateways, so both paths apply the same rules.
 */

/** The namespace the agent runs in: its own, since reading host folders is not allowed under Pod Security `restricted`. */
export const nodeAgentNamespace = (spec: StackSpec): string => `${spec.namespace}-node-agent`;
/** Name of the agent's DaemonSet, ConfigMap, ServiceAccount and NetworkPolicy. */
export const NODE_AGENT = 'otel-node-agent';

/** Whether the agent runs: to tail pod logs (`intake.logFiles.nodeAgent`), or as the `ha` profile's OTLP agent. */
export const runsNodeAgent = (spec: StackSpec): boolean => spec.intake.logFiles.nodeAgent || isHa(spec);
/** Whether the agent tails pod logs: it exists for that alone outside `ha`; in `ha` when `intake.logFiles.nodeAgent`. */
export const agentTailsPodLogs = (spec: StackSpec): boolean => spec.intake.logFiles.nodeAgent || !isHa(spec);
/** Whether the agent receives the pods' OTLP (the `ha` profile). */
export const agentReceivesOtlp = (spec: StackSpec): boolean => isHa(spec);

export function renderNodeAgentConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const ports = ctx.ports.collector;
  const token = spec.intake.otlpToken;
  const tailsPods = agentTailsPodLogs(spec);
  const otlp = agentReceivesOtlp(spec);
  // With a token, the agent refuses OTLP without it, as the gateway does, and presents it to the gateway.
  const auth = token ? { auth: { authenticator: OTLP_AUTHENTICATOR } } : {};
  // The stack's Services, across namespaces.
  const gatewayHost = (host: string) => `${host}.${spec.namespace}.svc`;
  const stages = ['memory_limiter', 'batch'];
  return {
    receivers: {
      ...(tailsPods && { 'filelog/pods': podLogReceiver(ctx.paths.podLogs, nodeAgentNamespace(spec)) }),
      ...(otlp && {
        otlp: {
          protocols: {
            grpc: { endpoint: listenAddress(ctx, ports.otlpGrpc), ...auth },
            http: { endpoint: listenAddress(ctx, ports.otlpHttp), ...auth },
          },
        },
      }),
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      batch: { send_batch_size: 2048, send_batch_max_size: 4096, timeout: '1s' },
    },
    exporters: {
      'otlp_grpc/gateway': {
        endpoint: `${gatewayHost(ctx.hosts.collector)}:${ports.otlpGrpc}`,
        tls: { insecure: true },
        ...(token && { auth: { authenticator: OTLP_AUTHENTICATOR } }),
        timeout: '10s',
        sending_queue: { enabled: true, num_consumers: 2, queue_size: 1000 },
        retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
      },
      // The gateways' routed port takes no token: only collectors reach it (NetworkPolicy), with spans an agent admitted.
      ...(otlp && { [ROUTER]: traceRouter(gatewayHost(collectorPeersHost(ctx)), ports.otlpRouted) }),
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
        // No batch before the router: it splits batches by trace id anyway, and the gateway batches what it keeps.
        ...(otlp && { traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: [ROUTER] } }),
        ...(otlp && { metrics: { receivers: ['otlp'], processors: stages, exporters: ['otlp_grpc/gateway'] } }),
        logs: {
          receivers: [...(tailsPods ? ['filelog/pods'] : []), ...(otlp ? ['otlp'] : [])],
          processors: stages,
          exporters: ['otlp_grpc/gateway'],
        },
      },
    },
  };
}
