/**
 * The blackbox exporter (pinned v0.27.0): the Prometheus project's prober, which checks the health endpoints
 * services declare (`services[].healthChecks`). Prometheus drives it: the `health-checks` scrape job asks its
 * `/probe` endpoint to GET each endpoint with the `http_2xx` module, and stores `probe_success` (1 when the
 * endpoint answered 2xx in time), labelled with the service; ServiceHealthCheckFailing alerts on it.
 * Keys follow the exporter's CONFIGURATION.md at v0.27.0 (read in the module the test build comes from).
 */
import type { HealthCheckSpec, ServiceSpec, StackSpec } from '../spec';
import { listenAddress, type RenderContext } from './context';

/** The one module the stack uses: an HTTP GET that succeeds on any 2xx answer. */
export const HEALTH_MODULE = 'http_2xx';
/** The scrape job whose series carry probe_success, and the label that names the probed endpoint's path. */
export const HEALTH_CHECK_JOB = 'health-checks';
export const HEALTH_PATH_LABEL = 'health_path';

export function renderBlackboxConfig(): Record<string, unknown> {
  return {
    modules: {
      [HEALTH_MODULE]: {
        prober: 'http',
        // Under Prometheus's scrape timeout (10s by default), so a hanging endpoint fails the probe, not the scrape.
        timeout: '5s',
        http: {
          method: 'GET',
          // Empty means any 2xx (CONFIGURATION.md, valid_status_codes).
          valid_status_codes: [],
          preferred_ip_protocol: 'ip4',
          follow_redirects: false,
        },
      },
    },
  };
}

export function blackboxArgs(ctx: RenderContext, opts: { configFile: string }): string[] {
  return [`--config.file=${opts.configFile}`, `--web.listen-address=${listenAddress(ctx, ctx.ports.blackbox.http)}`];
}

export interface HealthCheckTarget {
  readonly service: string;
  readonly path: string;
  readonly url: string;
}

/** Where a service's health endpoint is reached: its host in compose, its Service's cluster name in Kubernetes. */
function healthCheckUrl(service: ServiceSpec, check: HealthCheckSpec, spec: StackSpec, ctx: RenderContext): string {
  const port = check.port ?? service.port;
  const host =
    ctx.target === 'kubernetes' ? `${service.name}.${service.namespace ?? spec.namespace}.svc` : (service.host ?? service.name);
  return `http://${host}:${port}${check.path}`;
}

/** Every health endpoint the spec declares, in spec order. Validation guarantees each has a port. */
export function healthCheckTargets(spec: StackSpec, ctx: RenderContext): HealthCheckTarget[] {
  return spec.services.flatMap((service) =>
    (service.healthChecks ?? []).map((check) => ({
      service: service.name,
      path: check.path,
      url: healthCheckUrl(service, check, spec, ctx),
    })),
  );
}

/** The ports health endpoints listen on (the blackbox exporter's egress in Kubernetes). */
export function healthCheckPorts(spec: StackSpec): number[] {
  const ports = spec.services.flatMap((s) => (s.healthChecks ?? []).map((c) => c.port ?? s.port ?? 0));
  return [...new Set(ports)].sort((a, b) => a - b);
}
