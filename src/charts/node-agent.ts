/**
 * The Kubernetes node agent (`intake.logFiles.nodeAgent`): the pinned collector as a DaemonSet that tails every
 * container's stdout and stderr under /var/log/pods (src/config/otelcol-agent.ts) and forwards them to the stack's
 * collector Service. It lives in its own namespace, `<namespace>-node-agent`, written to dist/k8s-node-agent/ with its
 * own kustomization, because it needs what the stack's namespace forbids:
 *
 * - a hostPath volume (/var/log/pods, read-only), which Pod Security `restricted` and `baseline` both refuse, so that
 *   namespace enforces `privileged` (and warns and audits at `restricted`, so every deviation stays visible);
 * - user 0: pod log files are written by the container runtime as root and are not world-readable. The agent runs
 *   as root with every capability dropped (no CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH), so it reads only what root
 *   owns and may read as owner; read-only root filesystem, no privilege escalation, seccomp RuntimeDefault.
 *
 * Exceptions to kube-score and checkov are listed with their reasons in policy-exceptions.ts and checkov-exceptions.ts.
 */
import { createHash } from 'node:crypto';
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { CONTAINER_FILES } from '../config/files';
import { RUN_AS } from '../config/run-as';
import type { RenderContext } from '../config/context';
import { collectorArgs, collectorSecrets } from '../config/otelcol';
import { agentReceivesOtlp, agentTailsPodLogs, NODE_AGENT, nodeAgentNamespace } from '../config/otelcol-agent';
import { imageRef, versions, type StackSpec } from '../spec';
import { checkovAnnotations } from './checkov-exceptions';
import { MANAGED_BY, PART_OF, stackLabels } from './meta';
import { otlpNamespaces } from './network';
import { kubeScoreAnnotations } from './policy-exceptions';
import { EPHEMERAL_STORAGE, TMP_SIZE_MIB } from './workload';
import { posix } from 'node:path';

/** Pod Security levels of the agent's namespace: enforced, and (stricter) warned about and audited. */
export const NODE_AGENT_POD_SECURITY = { enforce: 'privileged', warn: 'restricted', audit: 'restricted' } as const;

/** The agent's resources: one per node, so small; the memory limiter holds it under 80% of the limit. */
export const NODE_AGENT_RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } } as const;

const selector = { 'app.kubernetes.io/name': NODE_AGENT, 'app.kubernetes.io/instance': PART_OF };
const labelsOf = (spec: StackSpec) => ({
  ...selector,
  'app.kubernetes.io/component': agentReceivesOtlp(spec) ? 'agent' : 'log-agent',
  'app.kubernetes.io/part-of': PART_OF,
  'app.kubernetes.io/version': versions.collector.tag,
  'app.kubernetes.io/managed-by': MANAGED_BY,
});

export interface NodeAgentProps {
  readonly spec: StackSpec;
  readonly ctx: RenderContext;
  /** The agent's collector config (YAML). */
  readonly config: string;
}

/** dist/k8s-node-agent/namespace.yaml: the agent's namespace, applied first. */
export class NodeAgentNamespaceChart extends Chart {
  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const podSecurity = Object.fromEntries(
      Object.entries(NODE_AGENT_POD_SECURITY).flatMap(([mode, level]) => [
        [`pod-security.kubernetes.io/${mode}`, level],
        [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
      ]),
    );
    new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: nodeAgentNamespace(props.spec), labels: { ...stackLabels(), ...podSecurity } },
    });
  }
}

/** dist/k8s-node-agent/node-agent.yaml: ServiceAccount, ConfigMap, DaemonSet, NetworkPolicy (`ha`: and the node-local Service). */
export class NodeAgentChart extends Chart {
  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { spec, ctx } = props;
    const namespace = nodeAgentNamespace(spec);
    const labels = labelsOf(spec);
    const ports = ctx.ports.collector;
    const otlp = agentReceivesOtlp(spec);
    const otlpPorts = otlp
      ? [
          { name: 'otlp-grpc', port: ports.otlpGrpc },
          { name: 'otlp-http', port: ports.otlpHttp },
        ]
      : [];
    const configFile = posix.basename(CONTAINER_FILES.collectorConfig);
    const configDir = posix.dirname(CONTAINER_FILES.collectorConfig);
    const metadata = (kind: string) => {
      const annotations = { ...kubeScoreAnnotations(kind, { name: NODE_AGENT }), ...checkovAnnotations(kind, { name: NODE_AGENT }) };
      return { name: NODE_AGENT, namespace, labels, ...(Object.keys(annotations).length > 0 && { annotations }) };
    };
    const tokens = collectorSecrets(spec);

    new ApiObject(this, 'service-account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata('ServiceAccount'), automountServiceAccountToken: false });
    new ApiObject(this, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('ConfigMap'), data: { [configFile]: props.config } });

    // Root only to read the pod log files; an agent that only forwards OTLP (`ha` without pod logs) runs as the image's user.
    const tailsPods = agentTailsPodLogs(spec);
    const user = RUN_AS.collector;
    const root = tailsPods
      ? { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } }
      : { runAsUser: user.uid, runAsGroup: user.gid, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    new ApiObject(this, 'daemon-set', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: metadata('DaemonSet'),
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: {
            labels,
            annotations: { [`checksum/${NODE_AGENT}`]: createHash('sha256').update(`${configFile}\0${props.config}\0`).digest('hex') },
          },
          spec: {
            serviceAccountName: NODE_AGENT,
            ...(spec.kubernetes.priorityClass && { priorityClassName: spec.kubernetes.priorityClass.name }),
            automountServiceAccountToken: false,
            securityContext: root,
            // Every node, control plane included, runs pods whose logs belong in Loki.
            tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
            containers: [
              {
                name: NODE_AGENT,
                image: imageRef('collector'),
                imagePullPolicy: 'Always',
                args: collectorArgs({ configFile: CONTAINER_FILES.collectorConfig }),
                ports: [...otlpPorts.map((p) => ({ name: p.name, containerPort: p.port })), { name: 'health', containerPort: ports.health }],
                readinessProbe: { httpGet: { path: '/', port: ctx.ports.collector.health }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                livenessProbe: { tcpSocket: { port: ctx.ports.collector.health }, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
                resources: {
                  requests: { ...NODE_AGENT_RESOURCES.requests, 'ephemeral-storage': EPHEMERAL_STORAGE.request },
                  limits: { ...NODE_AGENT_RESOURCES.limits, 'ephemeral-storage': EPHEMERAL_STORAGE.limit },
                },
                securityContext: {
                  ...root,
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'config', mountPath: configDir, readOnly: true },
                  ...(tailsPods ? [{ name: 'pod-logs', mountPath: ctx.paths.podLogs, readOnly: true }] : []),
                  { name: 'tmp', mountPath: '/tmp' },
                  ...tokens.map((ref) => ({ name: `secret-${ref.name}`, mountPath: `${ctx.paths.collectorSecrets}/${ref.name}`, readOnly: true })),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: NODE_AGENT } },
              ...(tailsPods ? [{ name: 'pod-logs', hostPath: { path: '/var/log/pods', type: 'Directory' } }] : []),
              { name: 'tmp', emptyDir: { sizeLimit: `${TMP_SIZE_MIB}Mi` } },
              // The OTLP token Secret, created in this namespace too (docs/kubernetes.md).
              ...tokens.map((ref) => ({ name: `secret-${ref.name}`, secret: { secretName: ref.name, defaultMode: 0o400, items: [{ key: ref.key, path: ref.key }] } })),
            ],
          },
        },
      },
    });

    // `ha`: the pods' OTLP endpoint on their own node. A Service with `internalTrafficPolicy: Local` rather than a
    // hostPort: one DNS name for every pod (no downward-API host IP), no host port opened on the node's address, and
    // NetworkPolicy applies to it as to any pod traffic. While the node's agent restarts the node's pods get no
    // endpoint (the SDKs retry) instead of a far one.
    if (otlp) {
      new ApiObject(this, 'service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata('Service'),
        spec: {
          selector,
          internalTrafficPolicy: 'Local',
          ports: otlpPorts.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'TCP' })),
        },
      });
    }

    // Only the pods allowed to send OTLP (`ha`) may reach the agent; it may reach only the cluster DNS pods
    // (kubernetes.dns) and the collectors' OTLP gRPC port (`ha`: and their routed port, for traces by trace id).
    const dns = spec.kubernetes.dns;
    new ApiObject(this, 'network-policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('NetworkPolicy'),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: otlp
          ? [
              {
                from: otlpNamespaces(spec).filter((name) => name !== namespace).map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
                ports: otlpPorts.map((p) => ({ port: p.port, protocol: 'TCP' })),
              },
            ]
          : [],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespace } },
                podSelector: { matchLabels: { [dns.podLabel.name]: dns.podLabel.value } },
              },
            ],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': spec.namespace } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': ctx.hosts.collector, 'app.kubernetes.io/instance': PART_OF } },
              },
            ],
            ports: [ports.otlpGrpc, ...(otlp ? [ports.otlpRouted] : [])].map((port) => ({ port, protocol: 'TCP' })),
          },
        ],
      },
    });
  }
}
