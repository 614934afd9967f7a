import type { RenderContext } from '../config/context';
import { CONTAINER_FILES } from '../config/files';
import { RUN_AS, type RunAs } from '../config/run-as';
import { imageRef, type Component } from '../spec';
import { hardening } from './hardening';

/** The one-shot service that gives each data volume to the user that writes it, before anything else starts. */
export const VOLUME_INIT = 'volume-init';

/** Where the init service mounts the data volumes, each under its own name. */
const VOLUME_INIT_ROOT = '/volumes';

export interface DataVolume {
  readonly name: string;
  /** Where its component mounts it: the data directory its image creates. */
  readonly path: string;
  /** Who must own it: the user and group its component runs as. */
  readonly owner: RunAs;
}

/** One named volume per stateful component, at the path its image keeps data in, owned by the user it runs as. */
export function dataVolumes(ctx: RenderContext): DataVolume[] {
  const volume = (component: Component, path: string): DataVolume => ({
    name: `${component}-data`,
    path,
    owner: RUN_AS[component],
  });
  return [
    volume('prometheus', CONTAINER_FILES.prometheusData),
    volume('alertmanager', CONTAINER_FILES.alertmanagerData),
    volume('grafana', CONTAINER_FILES.grafanaData),
    volume('loki', ctx.paths.lokiData),
    volume('tempo', ctx.paths.tempoData),
  ];
}

/**
 * Docker creates a named volume's directory owned by root; it fills a new volume from the image only when the
 * container that creates it has files at the mount path, and a volume made by an earlier run stays as it was. The
 * programs run as non-root users and the distroless images have no `chown`. So, as Tempo's own compose example
 * does, a one-shot container sets each volume's owner before any of them starts: root, but with only CAP_CHOWN,
 * no network, a read-only root, and a non-recursive chown of the volume's top directory (everything below it is
 * created by the program itself, as its own user). Where the engine also fills a still-empty volume from the
 * service's image, that image's directory belongs to the same uid (src/spec/images.ts), so the owner is the same.
 */
export function volumeInit(volumes: readonly DataVolume[]): Record<string, unknown> {
  const target = (v: DataVolume) => `${VOLUME_INIT_ROOT}/${v.name}`;
  return {
    image: imageRef('volumeInit'),
    user: '0:0',
    entrypoint: ['/bin/sh', '-c'],
    command: [['set -e', ...volumes.map((v) => `chown ${v.owner.uid}:${v.owner.gid} ${target(v)}`)].join('; ')],
    volumes: volumes.map((v) => `${v.name}:${target(v)}`),
    network_mode: 'none',
    ...hardening({ requests: { cpu: '10m', memory: '8Mi' }, limits: { memory: '32Mi' } }, ['CHOWN']),
    restart: 'no',
  };
}
