import { absent, eqOp, maxBy, or, series } from '../../promql/expr';
import type { AlertTemplate } from '../../alerts/define';
import { gauge, input, minutes, minutesOf } from '../../alerts/examples';
import { prometheus } from './metrics';

const SERVICE = 'service_name';

/**
 * ServiceDown for every observed service: Prometheus scrapes each service of the spec, whatever it emits, so `up`
 * tells whether it is serving at all. One per service, so an override can address one service's.
 */
/** `others`: the other observed services, whose ServiceDown rules see their own targets up in the examples. */
export function serviceDown(service: string, downFor: string, others: readonly string[]): AlertTemplate {
  const up = series(prometheus.up, { service_name: service });
  return {
    alert: 'ServiceDown',
    runbook: 'ServiceDown.md',
    group: { name: 'services' },
    service,
    labels: { service_name: service },
    severity: 'critical',
    for: downFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const target = (instance: string, values: string, name = service) =>
        input(prometheus.up.name, { job: name, instance, service_name: name }, values);
      // promtool checks every rule named ServiceDown at once: without their targets, the others would be absent.
      const othersUp = others.map((o) => target(`${o}:8080`, gauge({ minutes: f + 3, value: 1 }), o));
      return {
        expr: or(eqOp(maxBy([SERVICE], up), 0), absent(up)),
        summary: `Every target of ${service} is down.`,
        description:
          `Prometheus has not scraped any instance of {{ $labels.service_name }} for more than ${forDuration}: every ` +
          'target is down, or none is left to scrape (no endpoints). The service is probably not serving.',
        examples: {
          fires: {
            name: `its only instance down for ${f + 1} minutes`,
            series: [target(`${service}:8080`, gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })), ...othersUp],
            evalTime: minutes(f + 3),
            alerts: [{ labels: { service_name: service } }],
          },
          silent: {
            name: 'one of two instances down',
            series: [
              target(`${service}-a:8080`, gauge({ minutes: 1, value: 1 }, { minutes: f + 2, value: 0 })),
              target(`${service}-b:8080`, gauge({ minutes: f + 3, value: 1 })),
              ...othersUp,
            ],
            evalTime: minutes(f + 3),
          },
        },
      };
    },
  };
}

