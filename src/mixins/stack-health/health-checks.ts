import { eqOp, maxBy, series } from '../../promql/expr';
import type { AlertTemplate } from '../../alerts/define';
import { gauge, input, minutes, minutesOf } from '../../alerts/examples';
import type { ServiceSpec } from '../../spec/types';
import { blackbox } from './metrics';

const SERVICE = 'service_name';

/**
 * A declared health endpoint (`services[].healthChecks`) failing its probe: probe_success is 0 (no 2xx answer
 * within the timeout) for `healthCheckFor`. One alert per failing endpoint (by `health_path` and `instance`). The
 * stack probes the endpoints whatever the service emits, so this belongs to the stack-health mixin.
 */
export function healthCheckFailing(service: ServiceSpec, healthCheckFor: string): AlertTemplate {
  const name = service.name;
  const path = service.healthChecks?.[0]?.path ?? '/health';
  return {
    alert: 'ServiceHealthCheckFailing',
    runbook: 'ServiceHealthCheckFailing.md',
    group: { name: 'services' },
    service: name,
    labels: { service_name: name },
    severity: 'critical',
    for: healthCheckFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const labels = { job: 'health-checks', instance: `http://${name}:8080${path}`, service_name: name, health_path: path };
      const probe = (values: string) => [input(blackbox.probeSuccess.name, labels, values)];
      return {
        expr: eqOp(maxBy([SERVICE, 'health_path', 'instance'], series(blackbox.probeSuccess, { service_name: name })), 0),
        summary: `${name}: health check {{ $labels.health_path }} failing.`,
        description:
          `The blackbox exporter's probe of {{ $labels.instance }} has not had a 2xx answer within its timeout for more ` +
          `than ${forDuration}: the endpoint answers an error, hangs or is unreachable. The service reports itself unhealthy.`,
        examples: {
          fires: {
            name: `failing for ${f + 2} minutes`,
            series: probe(gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })),
            evalTime: minutes(f + 3),
            alerts: [{ labels: { service_name: name, health_path: path, instance: labels.instance }, value: 0 }],
          },
          silent: { name: 'answering 2xx', series: probe(gauge({ minutes: f + 3, value: 1 })), evalTime: minutes(f + 3) },
        },
      };
    },
  };
}
