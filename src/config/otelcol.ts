import type { StackSpec } from '../spec';
import { address, listenAddress, type RenderContext } from './context';

/**
 * OpenTelemetry Collector config for the pinned contrib release (src/spec/versions.ts). Component names are
 * those of that release: `otlp_grpc` and `otlp_http` exporters (`otlp`/`otlphttp` are deprecated aliases),
 * and Loki and Prometheus are reached through their native OTLP endpoints.
 *
 * Every component used here must be in tools/otelcol/builder-config.yaml, or the test build cannot validate it.
 */

/** In this order: shed load first, then stamp the environment, then batch what is left. */
const processors = () => ['memory_limiter', 'resource', 'batch'];

/** Bounded queue and retries, the same for every exporter: a backend outage costs memory up to a cap, not OOM. */
const delivery = () => ({
  timeout: '10s',
  sending_queue: { enabled: true, num_consumers: 4, queue_size: 1000 },
  retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '5m' },
});

export function renderCollectorConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const ports = ctx.ports.collector;
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: listenAddress(ctx, ports.otlpGrpc) },
          http: { endpoint: listenAddress(ctx, ports.otlpHttp) },
        },
      },
    },
    processors: {
      // Percentages of the container's memory limit (cgroup), so the limit follows spec.resources.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
      resource: {
        attributes: [{ key: 'deployment.environment.name', value: spec.environment, action: 'upsert' }],
      },
      batch: { send_batch_size: 8192, send_batch_max_size: 16384, timeout: '1s' },
    },
    exporters: {
      'otlp_grpc/tempo': {
        endpoint: address(ctx, 'tempo', 'otlpGrpc'),
        tls: { insecure: true },
        ...delivery(),
      },
      // The exporter appends /v1/logs and /v1/metrics to these base endpoints.
      'otlp_http/loki': {
        endpoint: `http://${address(ctx, 'loki', 'http')}/otlp`,
        ...delivery(),
      },
      'otlp_http/prometheus': {
        endpoint: `http://${address(ctx, 'prometheus', 'http')}/api/v1/otlp`,
        ...delivery(),
      },
    },
    extensions: {
      health_check: { endpoint: listenAddress(ctx, ports.health) },
    },
    service: {
      extensions: ['health_check'],
      telemetry: {
        logs: { level: 'info', encoding: 'json' },
        metrics: {
          level: 'normal',
          readers: [
            {
              pull: {
                exporter: {
                  prometheus: {
                    host: ctx.listenHost,
                    port: ports.metrics,
                    // The reader's defaults (both true) drop `_total` and unit suffixes. With them off the
                    // collector's metrics follow Prometheus naming (otelcol_exporter_send_failed_spans_total,
                    // otelcol_process_uptime_seconds_total), which the stack-health rules rely on; the
                    // collector test scrapes a running collector to check every name the rules use.
                    without_type_suffix: false,
                    without_units: false,
                  },
                },
              },
            },
          ],
        },
      },
      pipelines: {
        traces: { receivers: ['otlp'], processors: processors(), exporters: ['otlp_grpc/tempo'] },
        metrics: { receivers: ['otlp'], processors: processors(), exporters: ['otlp_http/prometheus'] },
        logs: { receivers: ['otlp'], processors: processors(), exporters: ['otlp_http/loki'] },
      },
    },
  };
}

/** Command-line flags for the collector. */
export function collectorArgs(opts: { configFile: string }): string[] {
  return [`--config=${opts.configFile}`];
}
