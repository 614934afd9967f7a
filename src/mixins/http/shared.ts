import { createHash } from 'node:crypto';
import { resolveParams, runbookUrl, type AlertBody, type AlertTemplate } from '../../alerts/define';
import type { AlertRule, RecordingRule, RuleGroup } from '../../alerts/model';
import { vector } from '../../promql/expr';
import { Rational } from '../../promql/decimal';
import type { SharedAlertContext, SharedAlerts } from '../../mixin/define';
import { errorRatioBody, httpAlerts, latencyBody, type HttpAlertClass, type HttpAlertMember } from './alerts';
import type { HttpConfig } from './config';
import { httpParams } from './config';
import { HTTP_RECORDED } from './recorded';

/**
 * The http() alerts of every service listing it, written once: a group of per-service thresholds as data
 * (`obskit.http.thresholds`), then one ServiceErrorRatioHigh and one ServiceLatencyHigh per class (`obskit.http.alerts`).
 * A class is the services whose alert has the same `for`, severity, labels (after overrides) and `minRequestRate`;
 * without overrides and with one http() config, that is every service. A service whose alert an override disables
 * has no threshold for it, so no rule sees it.
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

function sharedGroups(ctx: SharedAlertContext<HttpConfig>): RuleGroup[] {
  const data: RecordingRule[] = [];
  const alerts: AlertRule[] = [];
  for (const kind of KINDS) {
    const classes = classesOf(ctx, kind.alert);
    for (const cls of classes) {
      for (const m of cls.members) {
        data.push({ record: kind.threshold.name, expr: vector(Rational.of(m.threshold)), labels: { service_name: m.service, class: cls.id } });
      }
      alerts.push(classAlert(ctx, kind.alert, cls, kind.body(cls), classes.length > 1));
    }
  }
  if (alerts.length === 0) return [];
  return [
    { name: 'obskit.http.thresholds', rules: data },
    { name: 'obskit.http.alerts', rules: alerts },
  ];
}
