import { blackboxArgs } from '../config/blackbox';
import { alertmanagerArgs, receiverSecrets, secretFile, secretRefId } from '../config/alertmanager';
import { renderContext, type RenderContext } from '../config/context';
import { CONTAINER_FILES } from '../config/files';
import { grafanaEnvironment } from '../config/grafana';
import { lokiArgs } from '../config/loki';
import { collectorArgs, collectorSecretFile, collectorSecrets } from '../config/otelcol';
import { tempoArgs } from '../config/tempo';
import { prometheusArgs } from '../config/prometheus';
import { RUN_AS, type RunAs } from '../config/run-as';
import { imageRef, scrapedServices, type StackSpec } from '../spec';
import { hardening } from './hardening';
import { COMPOSE_FILES, DEMO, SIMULATOR_CATALOG_IN_CONTAINER } from './layout';
import { dataVolumes, VOLUME_INIT, volumeInit } from './volume-init';

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
  const volumes = dataVolumes(ctx);
  const volumeAt = (name: string) => `${name}:${volumes.find((v) => v.name === name)!.path}`;
  const afterVolumeInit = { [VOLUME_INIT]: { condition: 'service_completed_successfully' } };

  const services: Record<string, Record<string, unknown>> = {
    'otel-collector': {
      image: imageRef('collector'),
      user: user(RUN_AS.collector),
      command: collectorArgs({ configFile: CONTAINER_FILES.collectorConfig }),
      volumes: [
        mount(COMPOSE_FILES.collector, CONTAINER_FILES.collectorConfig),
        // intake.logFiles: the host folder, read-only; the collector (uid 10001) needs read access to its files.
        ...(spec.intake.logFiles.hostPath !== undefined ? [mount(spec.intake.logFiles.hostPath, ctx.paths.logFiles)] : []),
      ],
      ports: [publish(ports.otlpGrpc, p.collector.otlpGrpc), publish(ports.otlpHttp, p.collector.otlpHttp)],
      ...(intakeSecrets.length > 0 && {
        secrets: intakeSecrets.map((ref) => ({ source: secretRefId(ref), target: collectorSecretFile(ctx, ref) })),
      }),
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
      ...hostGateway(scrapedServices(spec).map((s) => s.host)),
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
    'blackbox-exporter': {
      image: imageRef('blackboxExporter'),
      user: user(RUN_AS.blackbox),
      command: blackboxArgs(ctx, { configFile: CONTAINER_FILES.blackboxConfig }),
      volumes: [mount(COMPOSE_FILES.blackbox, CONTAINER_FILES.blackboxConfig)],
      // It probes health endpoints where Prometheus scrapes: on the host too when a service lives there.
      ...hostGateway(spec.services.filter((s) => s.healthChecks?.length).map((s) => s.host)),
      healthcheck: httpHealthcheck(`http://localhost:${p.blackbox.http}/-/healthy`),
      ...hardening(spec.resources.blackbox),
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

  // Each service the spec marks `simulated` is played by the simulator (same image as the demo, one container per
  // service so Prometheus reaches it under the service's name), until the real service replaces it.
  for (const service of spec.services.filter((s) => s.simulated && s.name !== DEMO.serviceName)) {
    services[service.name] = {
      build: { context: '..', dockerfile: COMPOSE_FILES.demoDockerfile },
      image: `obskit-demo:local`,
      command: ['node', 'sdk/simulate/main.js'],
      environment: {
        SIMULATE: service.name,
        SIMULATE_CATALOG: SIMULATOR_CATALOG_IN_CONTAINER,
        LOG_LEVEL: 'info',
      },
      volumes: [mount(COMPOSE_FILES.simulatorCatalog, SIMULATOR_CATALOG_IN_CONTAINER)],
      healthcheck: httpHealthcheck(`http://localhost:${service.port}/health/ready`),
      ...hardening({ requests: { cpu: '20m', memory: '48Mi' }, limits: { memory: '128Mi' } }),
    };
  }

  return {
    name: 'obskit',
    services,
    volumes: Object.fromEntries(volumes.map((v) => [v.name, {}])),
    ...(allSecrets.length > 0 && {
      secrets: Object.fromEntries(
        allSecrets.map((ref) => [secretRefId(ref), { file: `${COMPOSE_FILES.secretsDir}/${ref.name}/${ref.key}` }]),
      ),
    }),
  };
}

export const COMPOSE_GRAFANA_ADMIN_PASSWORD_FILE = `${CONTAINER_FILES.grafanaData}/.admin-password`;

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
