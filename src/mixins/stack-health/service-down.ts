import { createHash } from 'node:crypto';
import { absent, absentOverTime, and, defineRecorded, eqOp, maxBy, or, re, series, unless, type Window } from '../../promql/expr';
import { resolveParams, runbookUrl, type AlertBody, type AlertTemplate, type ResolvedParams } from '../../alerts/define';
import type { AlertRule, RecordingRule } from '../../alerts/model';
import type { SharedAlerts } from '../../mixin/define';
import { gauge, input, minutes, minutesOf } from '../../alerts/examples';
import type { ExampleSeries } from '../../alerts/model';
import { isPushOnly, staleAfterOf } from '../../spec/ingest';
import type { ServiceSpec, StackSpec } from '../../spec/types';
import { prometheus } from './metrics';

const SERVICE = 'service_name';

/*
 * ServiceDown for every observed service, whatever it emits: a scraped one by its `up`, a push-only one by the
 * freshness of what it pushes. A template per service, so an override can address one service's; the rules of
 * scraped services are written once per class (sharedServiceDown), each service a recorded series.
 */

/** A scraped service ServiceDown watches, as data: 1, labelled with the class of its alert rule. */
export const SERVICE_EXPECTED = defineRecorded({
  name: 'service_name:up:expected',
  labelNames: ['service_name', 'class'],
  help: 'A scraped service ServiceDown watches (always 1); class names the alert rule that reads it.',
});

/** `job` of what a push-only service sends: `service.name`, or `service.namespace/service.name`. */
const pushedJob = (service: string) => re(`(?:.+/)?${service}`); // service names are DNS labels: nothing to escape

/**
 * Series that keep a service's ServiceDown silent in the examples for `minutes` minutes: its scrape target up, or
 * (push-only) the `target_info` Prometheus's OTLP receiver writes at each push.
 */
function alive(service: ServiceSpec, instance: string, values: string): ExampleSeries {
  return isPushOnly(service)
    ? input(prometheus.targetInfo.name, { job: service.name, instance, deployment_environment_name: 'test' }, values)
    : input(prometheus.up.name, { job: service.name, instance, service_name: service.name }, values);
}

/** `others`: the other observed services, whose ServiceDown rules see their own targets up in the examples. */
export function serviceDown(service: ServiceSpec, downFor: string, others: readonly ServiceSpec[]): AlertTemplate {
  return isPushOnly(service) ? pushedServiceDown(service, downFor, others) : scrapedServiceDown(service, downFor, others);
}

function scrapedServiceDown(svc: ServiceSpec, downFor: string, others: readonly ServiceSpec[]): AlertTemplate {
  const service = svc.name;
  const up = series(prometheus.up, { service_name: service });
  return {
    alert: 'ServiceDown',
    runbook: 'ServiceDown.md',
    group: { name: 'services' },
    service,
    severity: 'critical',
    for: downFor,
    build: ({ for: forDuration }) => {
      const f = minutesOf(forDuration);
      const target = (instance: string, values: string) => alive(svc, instance, values);
      // promtool checks every rule named ServiceDown at once: without their targets, the others would be absent.
      const othersUp = others.map((o) => alive(o, `${o.name}:8080`, gauge({ minutes: f + 3, value: 1 })));
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

/**
 * A push-only service has no `up`: it is down when Prometheus's OTLP receiver has written no `target_info` for it
 * (one per push, per resource) for `staleAfter`, and stays so for `downFor`.
 */
function pushedServiceDown(svc: ServiceSpec, downFor: string, others: readonly ServiceSpec[]): AlertTemplate {
  const service = svc.name;
  const staleAfter = staleAfterOf(svc);
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
      const s = minutesOf(staleAfter);
      const length = 1 + s + f + 2;
      const othersUp = others.map((o) => alive(o, `${o.name}:8080`, gauge({ minutes: length, value: 1 })));
      // One sample a minute for the first minute, then nothing: stale after `staleAfter`, firing `for` later.
      const pushedOnce = alive(svc, `${service}-run-1`, '1 1');
      const pushedThroughout = alive(svc, `${service}-run-2`, gauge({ minutes: length, value: 1 }));
      return {
        expr: absentOverTime(series(prometheus.targetInfo, { job: pushedJob(service) }), staleAfter as Window),
        summary: `${service} has pushed nothing for more than ${staleAfter}.`,
        description:
          // The name is written out: absent_over_time of a regex selector returns no labels to template from.
          `Prometheus has received no OTLP metrics from ${service} (a push-only service) for more than ` +
          `${staleAfter}, and not for ${forDuration} since: it stopped, or cannot reach the collector.`,
        examples: {
          fires: {
            name: `its last push ${length - 1} minutes ago`,
            series: [pushedOnce, ...othersUp],
            evalTime: minutes(length),
            alerts: [{ labels: { service_name: service } }],
          },
          silent: { name: 'a run pushing every minute', series: [pushedOnce, pushedThroughout, ...othersUp], evalTime: minutes(length) },
        },
      };
    },
  };
}

// -------------------------------------------------------------------------------------- shared

interface DownClass {
  readonly id: string;
  readonly params: ResolvedParams;
  readonly members: readonly ServiceSpec[];
}

/**
 * ServiceDown of a class of scraped services: every target of a service down (`max by (service_name) (up) == 0`),
 * or none left (`expected unless on (service_name) up`), for the services of the class. Examples on its first.
 */
function sharedBody(spec: StackSpec, cls: DownClass): AlertBody {
  const first = cls.members[0]!;
  const body = scrapedServiceDown(first, cls.params.for ?? '0m', spec.services.filter((o) => o.name !== first.name)).build(cls.params);
  const expected = series(SERVICE_EXPECTED, { class: cls.id });
  const up = series(prometheus.up);
  return {
    ...body,
    expr: or(and(eqOp(maxBy([SERVICE], up), 0), expected, { on: [SERVICE] }), unless(maxBy([SERVICE], expected), up, { on: [SERVICE] })),
    summary: 'Every target of {{ $labels.service_name }} is down.',
    examples: {
      ...body.examples,
      fires: { ...body.examples.fires, alerts: body.examples.fires.alerts.map((a) => ({ ...a, summary: `Every target of ${first.name} is down.` })) },
    },
  };
}

/** The ServiceDown rules of every scraped service, one per class (same `for`, severity, labels after overrides). */
export function sharedServiceDown(spec: StackSpec, templates: readonly AlertTemplate[]): SharedAlerts {
  const scraped = new Set(spec.services.filter((s) => !isPushOnly(s)).map((s) => s.name));
  const covers = (t: AlertTemplate) => t.alert === 'ServiceDown' && t.service !== undefined && scraped.has(t.service);
  const found = new Map<string, { params: ResolvedParams; plain: boolean; members: ServiceSpec[] }>();
  for (const t of templates.filter(covers)) {
    const params = resolveParams(t, spec);
    if (!params) continue;
    const key = JSON.stringify([params.for, params.severity, params.labels]);
    const entry = found.get(key) ?? { params, plain: params.severity === t.severity && Object.keys(params.labels).length === 0, members: [] };
    entry.members.push(spec.services.find((s) => s.name === t.service)!);
    found.set(key, entry);
  }
  const classes: DownClass[] = [...found].map(([key, c]) => ({
    id: c.plain ? `${c.params.for}` : `${c.params.for}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`,
    params: c.params,
    members: c.members,
  }));
  if (classes.length === 0) return { groups: [], covers };
  const data: RecordingRule[] = classes.flatMap((c) =>
    c.members.map((m) => ({ record: SERVICE_EXPECTED.name, expr: 'vector(1)', labels: { service_name: m.name, class: c.id } })),
  );
  const several = classes.length > 1;
  const alerts: AlertRule[] = classes.map((c) => ({
    alert: 'ServiceDown',
    ...sharedBody(spec, c),
    ...(c.params.for !== undefined ? { for: c.params.for } : {}),
    severity: c.params.severity,
    // Told apart by their class when there are several (promtool's duplicate-rule lint compares name and labels).
    ...(several || Object.keys(c.params.labels).length > 0 ? { labels: { ...(several ? { service_down: c.id } : {}), ...c.params.labels } } : {}),
    runbookUrl: runbookUrl('ServiceDown.md', spec.alerting.runbookBaseUrl),
  }));
  return {
    groups: [
      { name: 'obskit.stack-health.expected-services', rules: data },
      { name: 'obskit.stack-health.service-down', rules: alerts },
    ],
    covers,
  };
}
