import { alertmanagerArgs, receiverSecrets, secretFile, secretRefId } from '../config/alertmanager';
import { renderContext, type RenderContext } from '../config/context';
import { CONTAINER_FILES } from '../config/files';
import { grafanaEnvironment } from '../config/grafana';
import { lokiArgs } from '../config/loki';
import { collectorArgs } from '../config/otelcol';
import { tempoArgs } from '../config/tempo';
import { prometheusArgs } from '../config/prometheus';
import { RUN_AS, type RunAs } from '../config/run-as';
import { imageRef, type Component, type ComponentResources, type StackSpec } from '../spec';
import { COMPOSE_FILES, DEMO } from './layout';

/** The compose file as a plain object (compose-spec), from the same renderers Kubernetes uses. */
export function renderCompose(spec: StackSpec, ctx: RenderContext = renderContext('compose')): Record<string, unknown> {
  const { ports } = spec.compose;
  const p = ctx.ports;
  const publish = (host: number, container: number) => `127.0.0.1:${host}:${container}`;
  const secrets = receiverSecrets(spec.alerting.receivers);
  const volumes = dataVolumes(ctx);
  const volumeAt = (name: string) => `${name}:${volumes.find((v) => v.name === name)!.path}`;
  const afterVolumeInit = { [VOLUME_INIT]: { condition: 'service_completed_successfully' } };

  const services: Record<string, Record<string, unknown>> = {
    'otel-collector': {
      image: imageRef('collector'),
      user: user(RUN_AS.collector),
      command: collectorArgs({ configFile: CONTAINER_FILES.collectorConfig }),
      volumes: [mount(COMPOSE_FILES.collector, CONTAINER_FILES.collectorConfig)],
      ports: [publish(ports.otlpGrpc, p.collector.otlpGrpc), publish(ports.otlpHttp, p.collector.otlpHttp)],
      // The collector image is FROM scratch (no shell, no HTTP client, no health command), so its health_check
      // endpoint is probed by Kubernetes but cannot be by compose; dependants wait for it to start.
      depends_on: {
        prometheus: { condition: 'service_healthy' },
        loki: { condition: 'service_healthy' },
        tempo: { condition: 'service_healthy' },
      },
      ...hardening(spec.resources.collector),
    },
    prometheus: {
      image: imageRef('prometheus'),
      user: user(RUN_AS.prometheus),
      command: prometheusArgs(spec, ctx, {
        configFile: CONTAINER_FILES.prometheusConfig,
        dataDir: CONTAINER_FILES.prometheusData,
      }),
      volumes: [
        mount(COMPOSE_FILES.prometheus, CONTAINER_FILES.prometheusConfig),
        mount(COMPOSE_FILES.rulesDir, ctx.paths.prometheusRules),
        volumeAt('prometheus-data'),
      ],
      ports: [publish(ports.prometheus, p.prometheus.http)],
      healthcheck: httpHealthcheck(`http://localhost:${p.prometheus.http}/-/ready`),
      depends_on: { ...afterVolumeInit, alertmanager: { condition: 'service_healthy' } },
      ...hardening(spec.resources.prometheus),
    },
    alertmanager: {
      image: imageRef('alertmanager'),
      user: user(RUN_AS.alertmanager),
      command: alertmanagerArgs(spec, ctx, {
        configFile: CONTAINER_FILES.alertmanagerConfig,
        dataDir: CONTAINER_FILES.alertmanagerData,
      }),
      volumes: [
        mount(COMPOSE_FILES.alertmanager, CONTAINER_FILES.alertmanagerConfig),
        volumeAt('alertmanager-data'),
      ],
      ports: [publish(ports.alertmanager, p.alertmanager.http)],
      healthcheck: httpHealthcheck(`http://localhost:${p.alertmanager.http}/-/ready`),
      depends_on: afterVolumeInit,
      ...(secrets.length > 0 && {
        secrets: secrets.map((ref) => ({
          source: secretRefId(ref),
          target: secretFile(ctx, ref),
        })),
      }),
      ...hardening(spec.resources.alertmanager),
    },
    loki: {
      image: imageRef('loki'),
      user: user(RUN_AS.loki),
      command: lokiArgs({ configFile: CONTAINER_FILES.lokiConfig }),
      volumes: [mount(COMPOSE_FILES.loki, CONTAINER_FILES.lokiConfig), volumeAt('loki-data')],
      // Distroless image (no shell, no HTTP client): Loki's own `-health` command probes its readiness endpoint.
      healthcheck: {
        ...HEALTHCHECK_TIMING,
        test: ['CMD', '/usr/bin/loki', '-health', `-health.url=http://localhost:${p.loki.http}/ready`],
      },
      depends_on: afterVolumeInit,
      ...hardening(spec.resources.loki),
    },
    tempo: {
      image: imageRef('tempo'),
      user: user(RUN_AS.tempo),
      command: tempoArgs({ configFile: CONTAINER_FILES.tempoConfig }),
      volumes: [mount(COMPOSE_FILES.tempo, CONTAINER_FILES.tempoConfig), volumeAt('tempo-data')],
      // Distroless image (no shell, no HTTP client): Tempo's own `-health` flag (3.0+) probes its readiness endpoint.
      healthcheck: {
        ...HEALTHCHECK_TIMING,
        test: ['CMD', '/tempo', '-health', `-health.url=http://localhost:${p.tempo.http}/ready`],
      },
      depends_on: afterVolumeInit,
      ...hardening(spec.resources.tempo),
    },
    [VOLUME_INIT]: volumeInit(volumes),
    'grafana-init': {
      image: imageRef('grafana'),
      user: user(RUN_AS.grafana),
      // A random admin password, made once on the first start and kept in Grafana's volume; nothing is baked in.
      // Read it with: docker compose exec grafana cat /var/lib/grafana/.admin-password
      entrypoint: ['/bin/sh', '-c'],
      command: [
        `test -s ${COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE} || (umask 077 && head -c 32 /dev/urandom | base64 > ${COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE})`,
      ],
      volumes: [volumeAt('grafana-data')],
      depends_on: afterVolumeInit,
      ...hardening({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } }),
      restart: 'no',
    },
    grafana: {
      image: imageRef('grafana'),
      user: user(RUN_AS.grafana),
      environment: { ...grafanaEnvironment(spec, ctx), GF_SECURITY_ADMIN_PASSWORD__FILE: COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE },
      volumes: [
        mount(COMPOSE_FILES.grafanaDatasources, CONTAINER_FILES.grafanaDatasources),
        mount(COMPOSE_FILES.grafanaDashboardProvider, CONTAINER_FILES.grafanaDashboardProvider),
        mount(COMPOSE_FILES.dashboardsDir, ctx.paths.grafanaDashboards),
        volumeAt('grafana-data'),
      ],
      ports: [publish(ports.grafana, p.grafana.http)],
      healthcheck: httpHealthcheck(`http://localhost:${p.grafana.http}/api/health`),
      depends_on: {
        ...afterVolumeInit,
        'grafana-init': { condition: 'service_completed_successfully' },
        prometheus: { condition: 'service_healthy' },
        loki: { condition: 'service_healthy' },
        tempo: { condition: 'service_healthy' },
        alertmanager: { condition: 'service_healthy' },
      },
      ...hardening(spec.resources.grafana),
    },
  };

  const demo = spec.services.find((s) => s.name === DEMO.serviceName);
  if (demo) {
    services[DEMO.serviceName] = {
      build: { context: '..', dockerfile: COMPOSE_FILES.demoDockerfile },
      image: `obskit-demo:local`,
      environment: {
        PORT: String(demo.port),
        OTEL_SERVICE_NAME: demo.name,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${ctx.hosts.collector}:${p.collector.otlpHttp}`,
        OTEL_RESOURCE_ATTRIBUTES: `deployment.environment.name=${spec.environment}`,
        DEMO_LOAD_RPS: '20',
      },
      ports: [publish(demo.port, demo.port)],
      healthcheck: httpHealthcheck(`http://localhost:${demo.port}/health/ready`),
      depends_on: { 'otel-collector': { condition: 'service_started' } },
      ...hardening({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } }),
    };
  }

  return {
    name: 'obskit',
    services,
    volumes: Object.fromEntries(volumes.map((v) => [v.name, {}])),
    ...(secrets.length > 0 && {
      secrets: Object.fromEntries(
        secrets.map((ref) => [secretRefId(ref), { file: `${COMPOSE_FILES.secretsDir}/${ref.name}/${ref.key}` }]),
      ),
    }),
  };
}

export const COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE = `${CONTAINER_FILES.grafanaData}/.admin-password`;

/** The one-shot service that gives each data volume to the user that writes it, before anything else starts. */
export const VOLUME_INIT = 'volume-init';

/** Where the init service mounts the data volumes, each under its own name. */
const VOLUME_INIT_ROOT = '/volumes';

interface DataVolume {
  readonly name: string;
  /** Where its component mounts it: the data directory its image creates. */
  readonly path: string;
  /** Who must own it: the user and group its component runs as. */
  readonly owner: RunAs;
}

/** One named volume per stateful component, at the path its image keeps data in, owned by the user it runs as. */
function dataVolumes(ctx: RenderContext): DataVolume[] {
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
 * Docker creates a named volume owned by root, and copies an image's directory (and its owner) into it only in
 * some cases (a new, empty volume), while the programs run as non-root users and the distroless images have no
 * `chown`. So, as Tempo's own compose example does, a one-shot container sets each volume's owner first: root,
 * but with only CAP_CHOWN, no network, a read-only root and a non-recursive chown of the volume's top directory
 * (everything below is created by the program itself, as its own user).
 */
function volumeInit(volumes: readonly DataVolume[]): Record<string, unknown> {
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

function user(runAs: RunAs): string {
  return `${runAs.uid}:${runAs.gid}`;
}

const HEALTHCHECK_TIMING = { interval: '10s', timeout: '5s', retries: 6, start_period: '20s' };

function httpHealthcheck(url: string): Record<string, unknown> {
  return { ...HEALTHCHECK_TIMING, test: ['CMD', 'wget', '--quiet', '--tries=1', '--spider', url] };
}

/** A read-only bind mount of a generated file or folder, relative to the compose file. */
function mount(relative: string, target: string): string {
  return `${relative}:${target}:ro`;
}

/**
 * What every container gets: read-only root, no capabilities (but the few named), no privilege escalation,
 * memory capped.
 */
function hardening(resources: ComponentResources, capabilities: readonly string[] = []): Record<string, unknown> {
  return {
    read_only: true,
    tmpfs: ['/tmp'],
    cap_drop: ['ALL'],
    ...(capabilities.length > 0 && { cap_add: [...capabilities] }),
    security_opt: ['no-new-privileges:true'],
    restart: 'unless-stopped',
    deploy: {
      resources: {
        limits: { memory: toComposeBytes(resources.limits.memory), ...(resources.limits.cpu && { cpus: toCpus(resources.limits.cpu) }) },
        reservations: { memory: toComposeBytes(resources.requests.memory) },
      },
    },
  };
}

/** Kubernetes quantities to compose units: `512Mi` → `512m` (compose's m is MiB), `2Gi` → `2g`. */
function toComposeBytes(quantity: string): string {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (match) return `${match[1]}${{ Ki: 'k', Mi: 'm', Gi: 'g', Ti: 't' }[match[2] as 'Ki']}`;
  const decimal = /^(\d+)(k|M|G|T)?$/.exec(quantity);
  if (decimal) return String(Number(decimal[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[decimal[2] ?? '']!);
  throw new Error(`cannot express ${quantity} in compose units`);
}

function toCpus(quantity: string): string {
  return quantity.endsWith('m') ? String(Number(quantity.slice(0, -1)) / 1000) : quantity;
}

