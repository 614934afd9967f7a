import { alertmanagerArgs, receiverSecrets, secretFile, secretRefId } from '../config/alertmanager';
import { renderContext, type RenderContext } from '../config/context';
import { CONTAINER_FILES } from '../config/files';
import { grafanaEnvironment } from '../config/grafana';
import { lokiArgs } from '../config/loki';
import { collectorArgs, collectorSecretFile, collectorSecrets } from '../config/otelcol';
import { tempoArgs } from '../config/tempo';
import { prometheusArgs } from '../config/prometheus';
import { imageRef, scrapedServices, type ComponentResources, type StackSpec } from '../spec';
import { COMPOSE_FILES, DEMO } from './layout';

/** The name Docker Desktop gives the machine running compose; on Linux only with this `extra_hosts` entry. */
export const HOST_GATEWAY_NAME = 'host.docker.internal';

/** `extra_hosts` mapping host.docker.internal to the host's gateway, for a container that reaches a service there. */
function hostGateway(hosts: readonly (string | undefined)[]): { extra_hosts?: string[] } {
  return hosts.includes(HOST_GATEWAY_NAME) ? { extra_hosts: [`${HOST_GATEWAY_NAME}:host-gateway`] } : {};
}

/** The compose file as a plain object (compose-spec), from the same renderers Kubernetes uses. */
export function renderCompose(spec: StackSpec, ctx: RenderContext = renderContext('compose')): Record<string, unknown> {
  const { ports } = spec.compose;
  const p = ctx.ports;
  const publish = (host: number, container: number) => `127.0.0.1:${host}:${container}`;
  const secrets = receiverSecrets(spec.alerting.receivers);
  const intakeSecrets = collectorSecrets(spec);
  // Every file compose hands a container as a secret, once each (top-level `secrets`).
  const allSecrets = [...new Map([...secrets, ...intakeSecrets].map((ref) => [secretRefId(ref), ref])).values()].sort((a, b) =>
    secretRefId(a).localeCompare(secretRefId(b)),
  );

  const services: Record<string, Record<string, unknown>> = {
    'otel-collector': {
      image: imageRef('collector'),
      command: collectorArgs({ configFile: CONTAINER_FILES.collectorConfig }),
      volumes: [mount(COMPOSE_FILES.collector, CONTAINER_FILES.collectorConfig)],
      ports: [publish(ports.otlpGrpc, p.collector.otlpGrpc), publish(ports.otlpHttp, p.collector.otlpHttp)],
      ...(intakeSecrets.length > 0 && {
        secrets: intakeSecrets.map((ref) => ({ source: secretRefId(ref), target: collectorSecretFile(ctx, ref) })),
      }),
      // The collector image is distroless (no shell, no HTTP client), so its health_check endpoint is
      // probed by Kubernetes but cannot be by compose; dependants wait for it to start.
      depends_on: {
        prometheus: { condition: 'service_healthy' },
        loki: { condition: 'service_healthy' },
        tempo: { condition: 'service_started' },
      },
      ...hardening(spec.resources.collector),
    },
    prometheus: {
      image: imageRef('prometheus'),
      command: prometheusArgs(spec, ctx, {
        configFile: CONTAINER_FILES.prometheusConfig,
        dataDir: CONTAINER_FILES.prometheusData,
      }),
      volumes: [
        mount(COMPOSE_FILES.prometheus, CONTAINER_FILES.prometheusConfig),
        mount(COMPOSE_FILES.rulesDir, ctx.paths.prometheusRules),
        `prometheus-data:${CONTAINER_FILES.prometheusData}`,
      ],
      ports: [publish(ports.prometheus, p.prometheus.http)],
      ...hostGateway(scrapedServices(spec).map((s) => s.host)),
      healthcheck: httpHealthcheck(`http://localhost:${p.prometheus.http}/-/ready`),
      depends_on: { alertmanager: { condition: 'service_healthy' } },
      ...hardening(spec.resources.prometheus),
    },
    alertmanager: {
      image: imageRef('alertmanager'),
      command: alertmanagerArgs(spec, ctx, {
        configFile: CONTAINER_FILES.alertmanagerConfig,
        dataDir: CONTAINER_FILES.alertmanagerData,
      }),
      volumes: [
        mount(COMPOSE_FILES.alertmanager, CONTAINER_FILES.alertmanagerConfig),
        `alertmanager-data:${CONTAINER_FILES.alertmanagerData}`,
      ],
      ports: [publish(ports.alertmanager, p.alertmanager.http)],
      healthcheck: httpHealthcheck(`http://localhost:${p.alertmanager.http}/-/ready`),
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
      command: lokiArgs({ configFile: CONTAINER_FILES.lokiConfig }),
      volumes: [mount(COMPOSE_FILES.loki, CONTAINER_FILES.lokiConfig), `loki-data:${ctx.paths.lokiData}`],
      // Distroless image: Loki's own `-health` command (3.7+) probes its readiness endpoint.
      healthcheck: {
        ...HEALTHCHECK_TIMING,
        test: ['CMD', '/usr/bin/loki', '-health', `-health.url=http://localhost:${p.loki.http}/ready`],
      },
      ...hardening(spec.resources.loki),
    },
    tempo: {
      image: imageRef('tempo'),
      command: tempoArgs({ configFile: CONTAINER_FILES.tempoConfig }),
      volumes: [mount(COMPOSE_FILES.tempo, CONTAINER_FILES.tempoConfig), `tempo-data:${ctx.paths.tempoData}`],
      // Distroless image with no health command: Grafana and the collector retry until it is up.
      ...hardening(spec.resources.tempo),
    },
    'grafana-init': {
      image: imageRef('grafana'),
      // A random admin password, made once on the first start and kept in Grafana's volume; nothing is baked in.
      // Read it with: docker compose exec grafana cat /var/lib/grafana/.admin-password
      entrypoint: ['/bin/sh', '-c'],
      command: [
        `test -s ${COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE} || (umask 077 && head -c 32 /dev/urandom | base64 > ${COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE})`,
      ],
      volumes: [`grafana-data:${CONTAINER_FILES.grafanaData}`],
      ...hardening({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } }),
      restart: 'no',
    },
    grafana: {
      image: imageRef('grafana'),
      environment: { ...grafanaEnvironment(spec, ctx), GF_SECURITY_ADMIN_PASSWORD__FILE: COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE },
      volumes: [
        mount(COMPOSE_FILES.grafanaDatasources, CONTAINER_FILES.grafanaDatasources),
        mount(COMPOSE_FILES.grafanaDashboardProvider, CONTAINER_FILES.grafanaDashboardProvider),
        mount(COMPOSE_FILES.dashboardsDir, ctx.paths.grafanaDashboards),
        `grafana-data:${CONTAINER_FILES.grafanaData}`,
      ],
      ports: [publish(ports.grafana, p.grafana.http)],
      healthcheck: httpHealthcheck(`http://localhost:${p.grafana.http}/api/health`),
      depends_on: {
        'grafana-init': { condition: 'service_completed_successfully' },
        prometheus: { condition: 'service_healthy' },
        loki: { condition: 'service_healthy' },
        tempo: { condition: 'service_started' },
        alertmanager: { condition: 'service_healthy' },
      },
      ...hardening(spec.resources.grafana),
    },
  };

  const demo = scrapedServices(spec).find((s) => s.name === DEMO.serviceName);
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
    volumes: Object.fromEntries(
      ['prometheus-data', 'alertmanager-data', 'grafana-data', 'loki-data', 'tempo-data'].map((v) => [v, {}]),
    ),
    ...(allSecrets.length > 0 && {
      secrets: Object.fromEntries(
        allSecrets.map((ref) => [secretRefId(ref), { file: `${COMPOSE_FILES.secretsDir}/${ref.name}/${ref.key}` }]),
      ),
    }),
  };
}

export const COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE = `${CONTAINER_FILES.grafanaData}/.admin-password`;

const HEALTHCHECK_TIMING = { interval: '10s', timeout: '5s', retries: 6, start_period: '20s' };

function httpHealthcheck(url: string): Record<string, unknown> {
  return { ...HEALTHCHECK_TIMING, test: ['CMD', 'wget', '--quiet', '--tries=1', '--spider', url] };
}

/** A read-only bind mount of a generated file or folder, relative to the compose file. */
function mount(relative: string, target: string): string {
  return `${relative}:${target}:ro`;
}

/** What every container gets: read-only root, no capabilities, no privilege escalation, memory capped. */
function hardening(resources: ComponentResources): Record<string, unknown> {
  return {
    read_only: true,
    tmpfs: ['/tmp'],
    cap_drop: ['ALL'],
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

