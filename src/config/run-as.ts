import { IMAGE_CONTENTS, type Component, type PinnedImage } from '../spec';

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** The pinned image each component runs. */
export const COMPONENT_IMAGES: Readonly<Record<Component, PinnedImage>> = {
  collector: 'collector',
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  loki: 'loki',
  tempo: 'tempo',
  blackbox: 'blackboxExporter',
  'thanos-receive': 'thanos',
  'thanos-query': 'thanos',
  'loki-write': 'loki',
  'loki-read': 'loki',
  'loki-backend': 'loki',
  'tempo-distributor': 'tempo',
  'tempo-live-store': 'tempo',
  'tempo-block-builder': 'tempo',
  'tempo-querier': 'tempo',
  'tempo-query-frontend': 'tempo',
  'tempo-backend-scheduler': 'tempo',
  'tempo-backend-worker': 'tempo',
  'tempo-metrics-generator': 'tempo',
  kafka: 'kafka',
  kubeStateMetrics: 'kubeStateMetrics',
};

/**
 * The user and group each component runs as, in compose and in Kubernetes alike: the user its image declares
 * (src/spec/images.ts), so the files the image ships are readable and its data directory is its own. One
 * exceptions: the blackbox exporter's image names no user, so it runs as nobody; Grafana's image gives its user the root group (gid 0); obskit runs it with group 472 instead, which
 * the image's world-readable files and 0777 data directories allow, rather than the root group.
 */
export const RUN_AS: Readonly<Record<Component, RunAs>> = {
  collector: IMAGE_CONTENTS.collector.user,
  prometheus: IMAGE_CONTENTS.prometheus.user,
  alertmanager: IMAGE_CONTENTS.alertmanager.user,
  grafana: { uid: IMAGE_CONTENTS.grafana.user.uid, gid: 472 },
  loki: IMAGE_CONTENTS.loki.user,
  tempo: IMAGE_CONTENTS.tempo.user,
  // The image declares no user (root); the prober needs no file of its own to write, so it runs as nobody.
  blackbox: { uid: 65534, gid: 65534 },
  'thanos-receive': IMAGE_CONTENTS.thanos.user,
  'thanos-query': IMAGE_CONTENTS.thanos.user,
  'loki-write': IMAGE_CONTENTS.loki.user,
  'loki-read': IMAGE_CONTENTS.loki.user,
  'loki-backend': IMAGE_CONTENTS.loki.user,
  'tempo-distributor': IMAGE_CONTENTS.tempo.user,
  'tempo-live-store': IMAGE_CONTENTS.tempo.user,
  'tempo-block-builder': IMAGE_CONTENTS.tempo.user,
  'tempo-querier': IMAGE_CONTENTS.tempo.user,
  'tempo-query-frontend': IMAGE_CONTENTS.tempo.user,
  'tempo-backend-scheduler': IMAGE_CONTENTS.tempo.user,
  'tempo-backend-worker': IMAGE_CONTENTS.tempo.user,
  'tempo-metrics-generator': IMAGE_CONTENTS.tempo.user,
  kafka: IMAGE_CONTENTS.kafka.user,
  kubeStateMetrics: IMAGE_CONTENTS.kubeStateMetrics.user,
};

/** The directory a stateful component keeps its data in: the one its image creates for it. */
export function imageDataDir(image: PinnedImage): string {
  const dir = IMAGE_CONTENTS[image].dataDir;
  if (!dir) throw new Error(`the ${image} image has no data directory`);
  return dir;
}
