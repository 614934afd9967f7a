/**
 * Every image obskit deploys, pinned in one place. Never `latest`.
 *
 * `checked` is the day each tag was looked up as the current release. The collector is pinned to the
 * release whose Go modules our test build (tools/otelcol) can fetch, so the config we ship is validated
 * by exactly the collector version we deploy.
 */
export interface ImagePin {
  readonly image: string;
  readonly tag: string;
  readonly checked: string;
}

const CHECKED = '2026-11-21';

export const versions = {
  collector: { image: 'otel/opentelemetry-collector-contrib', tag: '0.162.0', checked: CHECKED },
  prometheus: { image: 'prom/prometheus', tag: 'v3.15.0', checked: CHECKED },
  alertmanager: { image: 'prom/alertmanager', tag: 'v0.34.2', checked: CHECKED },
  /**
   * The Prometheus project's prober, for the health endpoints services declare (`services[].healthChecks`).
   * v0.27.0 is the release the Go module proxy serves here (its version list is refused), which tools/install.sh
   * builds, so the live test probes with the version deployed.
   */
  blackboxExporter: { image: 'prom/blackbox-exporter', tag: 'v0.27.0', checked: '2026-11-30' },
  /**
   * Thanos Receive and Query, the `ha` profile's metrics store (Apache-2.0). v0.42.5 is the release the Go module
   * proxy serves here; tools/install.sh builds the same release, so the live scale test runs what is deployed.
   */
  thanos: { image: 'quay.io/thanos/thanos', tag: 'v0.42.5', checked: '2026-11-30' },
  /**
   * Reports the cluster's objects (pods, nodes, PVCs) as metrics for the `kubernetes` mixin; Kubernetes only.
   * v2.20.0 is the newest tag of kubernetes/kube-state-metrics in the snapshot reachable here (2026-08-17); its
   * README's compatibility matrix covers the Kubernetes 1.3x API server the tests run.
   */
  kubeStateMetrics: { image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.20.0', checked: '2026-11-30' },
  grafana: { image: 'grafana/grafana', tag: '13.2.3', checked: CHECKED },
  loki: { image: 'grafana/loki', tag: '3.7.8', checked: CHECKED },
  tempo: { image: 'grafana/tempo', tag: '3.1.0', checked: CHECKED },
  /**
   * Apache Kafka (Apache-2.0), the queue Tempo's microservices need since Tempo 3.0 (`ha` with object storage and no
   * ha.tempo.kafka). 4.4.0 is the release the Kafka documentation's Docker page names (kafka.apache.org/44/getting-started/docker).
   */
  kafka: { image: 'apache/kafka', tag: '4.4.0', checked: '2026-11-30' },
  node: { image: 'node', tag: '24.21.0-alpine', checked: CHECKED },
  /**
   * The one-shot compose service that gives each data volume to the user its program runs as (the distroless
   * images have no `chown`). 1.38.0 is the newest busybox in docker-library/official-images (library/busybox at
   * 37079fb, 2026-08-21), the newest snapshot reachable from here.
   */
  volumeInit: { image: 'busybox', tag: '1.38.0', checked: '2026-11-30' },
} as const satisfies Record<string, ImagePin>;

export type PinnedImage = keyof typeof versions;

export function imageRef(name: PinnedImage): string {
  const pin: ImagePin = versions[name];
  return `${pin.image}:${pin.tag}`;
}
