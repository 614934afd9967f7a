import { createHash } from 'node:crypto';
import { resolveParams, runbookUrl, type AlertBody, type AlertTemplate } from '../../alerts/define';
import type { AlertRule, RecordingRule, RuleGroup } from '../../alerts/model';
import { groupBy, mul, num, or, re, series, type Expr } from '../../promql/expr';
import { Rational } from '../../promql/decimal';
import { oneOf } from '../../promql/regex';
import type { SharedAlertContext, SharedAlerts } from '../../mixin/define';
import { errorRatioBody, httpAlerts, latencyBody, type HttpAlertClass, type HttpAlertMember } from './alerts';
import type { HttpConfig } from './config';
import { httpParams } from './config';
import { HTTP_RECORDED } from './recorded';

/**
 * The http() alerts of every service listing it, written once: the thresholds as data (`obskit.http.thresholds`), then
 * one ServiceErrorRatioHigh and one ServiceLatencyHigh per class (`obskit.http.alerts`). A class is the services whose
 * alert has the same `for`, severity, labels (after overrides) and `minRequestRate`; without overrides and with one
 * http() config, that is every service. A class's thresholds are one rule: per threshold value, the list of its
 * services (`0.05 * group by (service_name) (service_name:http_server_requests:rate5m{service_name=~"a|b"})`), so a
 * service costs its name, not a rule. A threshold exists while its service has requests, as the alerts need them. A
 * service whose alert an override disables is in no list, so no rule sees it.
 */
const KINDS = [
  { alert: 'ServiceErrorRatioHigh', threshold: HTTP_RECORDED.errorRatioThreshold, body: errorRatioBody },
  { alert: 'ServiceLatencyHigh', threshold: HTTP_RECORDED.latencyThreshold, body: latencyBody },
] as const;

const isPlain = (t: AlertTemplate, c: Omit<HttpAlertClass, 'id'>) =>
  c.params.severity === t.severity && Object.keys(c.params.labels).length === 0 && c.minRequestRate === httpParams.minRequestRate.default;

function classesOf(ctx: SharedAlertContext<HttpConfig>, alert: string): HttpAlertClass[] {
  const found = new Map<string, { plain: boolean; cls: Omit<HttpAlertClass, 'id'> & { members: HttpAlertMember[] } }>();
  for (const { service, config } of ctx.instances) {
    if (!service) continue;
    const template = httpAlerts({ spec: ctx.spec, service, config }).find((t) => t.alert === alert)!;
    const params = resolveParams(template, ctx.spec);
    if (!params) continue;
    const key = JSON.stringify([params.for, params.severity, params.labels, config.minRequestRate]);
    const entry = found.get(key) ?? { plain: false, cls: { params, minRequestRate: config.minRequestRate, members: [] } };
    entry.plain = isPlain(template, entry.cls);
    entry.cls.members.push({ service: service.name, config, threshold: params.threshold! });
    found.set(key, entry);
  }
  return [...found].map(([key, { plain, cls }]) => ({
    id: plain ? `${cls.params.for}` : `${cls.params.for}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`,
    ...cls,
  }));
}

function classAlert(ctx: SharedAlertContext<HttpConfig>, alert: string, cls: HttpAlertClass, body: AlertBody, several: boolean): AlertRule {
  const { params } = cls;
  return {
    alert,
    ...body,
    ...(params.for !== undefined ? { for: params.for } : {}),
    severity: params.severity,
    // Told apart by their class when there are several (promtool's duplicate-rule lint compares name and labels).
    ...(several || Object.keys(params.labels).length > 0 ? { labels: { ...(several ? { http_alerts: cls.id } : {}), ...params.labels } } : {}),
    runbookUrl: runbookUrl(`${alert}.md`, ctx.spec.alerting.runbookBaseUrl),
  };
}

export function httpSharedAlerts(ctx: SharedAlertContext<HttpConfig>): SharedAlerts {
  return { groups: sharedGroups(ctx), covers: () => true };
}

/** Names per selector: Prometheus matches an alternation of up to 256 plain names as a set, not a regex. */
const NAMES_PER_SELECTOR = 256;

/** A class's thresholds of one kind: each value times the services that have it (from their request rate). */
function thresholdsOf(kind: (typeof KINDS)[number], cls: HttpAlertClass): RecordingRule {
  const byValue = new Map<number, string[]>();
  for (const m of cls.members) byValue.set(m.threshold, [...(byValue.get(m.threshold) ?? []), m.service]);
  const parts: Expr[] = [...byValue].flatMap(([value, services]) =>
    Array.from({ length: Math.ceil(services.length / NAMES_PER_SELECTOR) }, (_, i) => {
      const names = services.slice(i * NAMES_PER_SELECTOR, (i + 1) * NAMES_PER_SELECTOR);
      return mul(num(Rational.of(value)), groupBy(['service_name'], series(HTTP_RECORDED.serviceRequestRate, { service_name: re(oneOf(names)) })));
    }),
  );
  return { record: kind.threshold.name, expr: parts.reduce((a, b) => or(a, b)), labels: { class: cls.id } };
}

function sharedGroups(ctx: SharedAlertContext<HttpConfig>): RuleGroup[] {
  const data: RecordingRule[] = [];
  const alerts: AlertRule[] = [];
  for (const kind of KINDS) {
    const classes = classesOf(ctx, kind.alert);
    for (const cls of classes) {
      data.push(thresholdsOf(kind, cls));
      alerts.push(classAlert(ctx, kind.alert, cls, kind.body(cls), classes.length > 1));
    }
  }
  if (alerts.length === 0) return [];
  return [
    { name: 'obskit.http.thresholds', rules: data },
    { name: 'obskit.http.alerts', rules: alerts },
  ];
}
