import { KUBE_SCORE_VERSION } from '../src/charts/policy-exceptions';
import { versions } from '../src/spec/versions';

/**
 * Every real program obskit's tests run, with the Go module its version is read from and the exact release
 * `tools/install.sh` builds. The images obskit deploys are pinned in src/spec/versions.ts; the test tools that
 * stand for a deployed image take its tag from there, so the config we ship is checked by the version we ship.
 */
export interface ToolPin {
  /** The release, as the tool names itself (no leading v). */
  readonly release: string;
  /** The Go module whose version the binary records (`go version -m`). */
  readonly module: string;
}

const bare = (tag: string): string => tag.replace(/^v/, '');

/** Prometheus publishes its Go module as v0.<major><minor:2>.<patch>: v0.315.0 is Prometheus 3.15.0. */
export function prometheusModuleVersion(release: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(bare(release));
  if (!m) throw new Error(`not a Prometheus release: ${release}`);
  return `v0.${m[1]}${m[2]!.padStart(2, '0')}.${m[3]}`;
}

/** The Kubernetes API server and etcd CI validates manifests against (see ../shared notes on building them). */
export const KUBERNETES_VERSION = '1.37.2';
export const ETCD_VERSION = '3.7.3';
/**
 * The Prometheus Operator whose CRDs operator mode (kubernetes.mode: 'operator') is typed by and checked against:
 * tools/install.sh copies example/prometheus-operator-crd/*.yaml out of its Go module at this version, and a test
 * loads them into the real API server and dry-runs the generated resources against them.
 */
export { PROMETHEUS_OPERATOR_VERSION } from '../src/charts/operator/resources';

const prometheus: ToolPin = { release: bare(versions.prometheus.tag), module: 'github.com/prometheus/prometheus' };
const alertmanager: ToolPin = { release: bare(versions.alertmanager.tag), module: 'github.com/prometheus/alertmanager' };
const kubernetes: ToolPin = { release: KUBERNETES_VERSION, module: 'k8s.io/kubernetes' };

/**
 * Thanos v0.42.5's go.mod asks for Go 1.26.10, newer than the machine's Go: the one approved newer toolchain,
 * which the Go module proxy serves, builds it (tools/install.sh sets it for that build only).
 */
export const THANOS_GO_TOOLCHAIN = 'go1.27.3';

export const TOOL_PINS = {
  promtool: prometheus,
  prometheus,
  amtool: alertmanager,
  alertmanager,
  blackbox_exporter: { release: bare(versions.blackboxExporter.tag), module: 'github.com/prometheus/blackbox_exporter' },
  otelcol: { release: bare(versions.collector.tag), module: 'go.opentelemetry.io/collector/otelcol' },
  'kube-score': { release: bare(KUBE_SCORE_VERSION), module: 'github.com/zegl/kube-score' },
  thanos: { release: bare(versions.thanos.tag), module: 'github.com/thanos-io/thanos' },
  etcd: { release: ETCD_VERSION, module: 'go.etcd.io/etcd/server/v3' },
  'kube-apiserver': kubernetes,
  kubectl: kubernetes,
} as const satisfies Record<string, ToolPin>;

export type PinnedTool = keyof typeof TOOL_PINS;
