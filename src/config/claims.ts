/**
 * The PersistentVolumeClaims obskit's own StatefulSets create in the profile the spec chooses: a StatefulSet's
 * claim for pod N is `<template>-<statefulset>-N`, and every one of obskit's uses the template `data`. The
 * kubernetes mixin's PVC alert shows it covers these (src/mixins/kubernetes/alerts.ts).
 */
import type { StackSpec } from '../spec/types';
import { DEFAULT_HOSTS } from './context';
import { isHa } from './ha';
import { KAFKA_NODES } from './kafka';
import { lokiScalable } from './loki';
import { deploysKafka, TEMPO_LIVE_STORE_ZONES, tempoMicroservices } from './tempo';

const claims = (statefulSet: string, replicas: number): string[] => Array.from({ length: replicas }, (_, i) => `data-${statefulSet}-${i}`);

/** The claims of Prometheus, the logs store, the traces store and the queue in front of it, in that order. */
export function ownVolumeClaims(spec: StackSpec): string[] {
  const h = DEFAULT_HOSTS;
  return [
    ...claims(h.prometheus, isHa(spec) ? spec.ha.prometheusReplicas : 1),
    ...(lokiScalable(spec) ? [...claims(h['loki-write'], spec.ha.loki.writeReplicas), ...claims(h['loki-backend'], spec.ha.loki.backendReplicas)] : claims(h.loki, 1)),
    ...(tempoMicroservices(spec)
      ? [
          ...TEMPO_LIVE_STORE_ZONES.flatMap((zone) => claims(`${h['tempo-live-store']}-${zone}`, spec.ha.tempo.liveStoreReplicas)),
          ...claims(h['tempo-block-builder'], spec.ha.tempo.blockBuilderReplicas),
        ]
      : claims(h.tempo, 1)),
    ...(deploysKafka(spec) ? claims(h.kafka, KAFKA_NODES) : []),
  ];
}
