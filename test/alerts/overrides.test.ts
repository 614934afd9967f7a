import { alertsOf, buildRuleFiles } from '../../src/alerts';
import { overridesFor, resolveAlert, type AlertTemplate } from '../../src/alerts/define';
import { isAlertRule, silentExamples } from '../../src/alerts/model';
import { http } from '../../src/mixins';
import { resolveSpec } from '../../src/spec';
import { sloClasses } from '../../src/alerts/slo';
import { sloSpec } from './fixtures';
import { serviceData } from '../support/service-data';

const all = alertsOf(buildRuleFiles(sloSpec));
const classes = sloClasses(sloSpec);
const find = (name: string, labels: Record<string, string> = {}) =>
  all.filter((a) => a.alert === name && Object.entries(labels).every(([k, v]) => a.labels?.[k] === v));

const thresholds = serviceData(buildRuleFiles(sloSpec).flatMap((f) => f.groups).flatMap((g) => g.rules), 'service_name:http_error_ratio:threshold');
/** A service's threshold of ServiceErrorRatioHigh (recorded data), and the shared alert of its class. */
const errorRatioOf = (service: string) => {
  const data = thresholds.find((d) => d.service === service)!;
  const alert = all.find((a) => a.alert === 'ServiceErrorRatioHigh' && a.expr.includes(`service_name:http_error_ratio:threshold{class="${data.class}"}`))!;
  return { data, alert };
};

describe('alerting.overrides', () => {
  it('change threshold, for, severity and labels of one service’s alert, and its tests with it', () => {
    const { data, alert: payments } = errorRatioOf('payments');
    expect(data.value).toBe(0.1);
    expect(payments).toMatchObject({ severity: 'critical', for: '5m', labels: { team: 'payments' } });
    // Its own class: no other service shares its for, severity and labels.
    expect(thresholds.filter((d) => d.class === data.class).map((d) => d.service)).toEqual(['payments']);
    // The firing example fails 20% of requests, the silent one 5%: both sides of the new threshold.
    expect(payments.examples.fires.alerts[0]!.value).toBe(0.2);
    expect(silentExamples(payments.examples)[0]!.name).toBe('5% of requests fail, under the threshold');
  });

  it('apply the less specific override too, the more specific one winning', () => {
    expect(errorRatioOf('checkout').alert.labels).toMatchObject({ team: 'everyone' });
    expect(errorRatioOf('payments').alert.labels?.team).toBe('payments');
  });

  it('change stack alerts, examples included', () => {
    const [targetDown] = find('TargetDown');
    expect(targetDown).toMatchObject({ for: '90s' });
    expect(targetDown!.description).toContain('for more than 90s');
    const [notifications] = find('PrometheusNotificationsFailing');
    expect(notifications!.expr).toMatch(/> 0\.6$/);
    expect(notifications!.examples.fires.alerts[0]!.value).toBe(1);
    expect(find('Watchdog')[0]).toMatchObject({ for: '2m', examples: { fires: { evalTime: '3m' } } });
  });

  // The burn-rate alerts are shared by the SLOs of a class; which SLOs an alert covers is what its scenarios are of.
  const sloAlert = (name: string, service: string, slo: string) =>
    all.filter((a) => a.alert === name && (a.examples.scenarios ?? [{ labels: a.examples.fires.alerts[0]!.labels }]).some((s) => s.labels.service_name === service && s.labels.slo === slo));
  const coveredBy = (name: string) => classes.filter((c) => c.tiers[name === 'ErrorBudgetBurnFast' ? 'page' : 'ticket']).flatMap((c) => c.members.map((m) => `${m.service}/${m.slo.name}`));

  it('disable an alert for one service or one SLO only', () => {
    // payments is a Python service (no event-loop alert at all); search's is disabled.
    expect(find('ServiceEventLoopLagHigh').map((a) => a.labels?.service_name)).toEqual(['checkout']);
    expect(coveredBy('ErrorBudgetBurnSlow')).toEqual(['checkout/latency', 'payments/availability']);
    expect(coveredBy('ErrorBudgetBurnFast')).toEqual(['checkout/availability', 'checkout/latency', 'payments/availability']);
    // The class checkout/availability is alone in has no ticket rule at all.
    const ticketClasses = new Set(find('ErrorBudgetBurnSlow').map((a) => a.labels?.slo_alerts));
    expect(ticketClasses.has(classes.find((c) => c.members.some((m) => m.service === 'checkout' && m.slo.name === 'availability'))!.id)).toBe(false);
  });

  it('leave a service whose shared alert is disabled without its data, so no rule sees it', () => {
    const spec = resolveSpec({
      namespace: 'x',
      services: [{ name: 'a', port: 80, mixins: [http()] }, { name: 'b', port: 80, mixins: [http()] }],
      alerting: { overrides: [{ alert: 'ServiceErrorRatioHigh', service: 'b', disabled: true }, { alert: 'ServiceDown', service: 'a', for: '10m' }] },
    });
    const rules = buildRuleFiles(spec).flatMap((f) => f.groups).flatMap((g) => g.rules);
    const data = (record: string) => serviceData(rules, record).map((d) => [d.service, d.class]);
    expect(data('service_name:http_error_ratio:threshold')).toEqual([['a', '10m']]);
    expect(data('service_name:http_latency_p95:threshold')).toEqual([['a', '10m'], ['b', '10m']]);
    // Another for is another class: two ServiceDown rules, told apart by their class.
    expect(data('service_name:up:expected')).toEqual([['a', '10m'], ['b', '3m']]);
    const downs = rules.filter(isAlertRule).filter((a) => a.alert === 'ServiceDown');
    expect(downs.map((a) => [a.for, a.labels?.service_down])).toEqual([['10m', '10m'], ['3m', '3m']]);
  });

  it('change a burn-rate alert of one SLO', () => {
    expect(sloAlert('ErrorBudgetBurnFast', 'checkout', 'latency')[0]).toMatchObject({ for: '5m', labels: { team: 'checkout' } });
    expect(sloAlert('ErrorBudgetBurnFast', 'checkout', 'availability')[0]!.for).toBeUndefined();
    expect(sloAlert('ErrorBudgetBurnFast', 'checkout', 'availability')[0]!.labels?.team).toBeUndefined();
  });

  it('change nothing when none matches', () => {
    const template: AlertTemplate = {
      alert: 'ServiceDown',
      runbook: 'ServiceDown.md',
      service: 'x',
      severity: 'critical',
      for: '3m',
      build: () => ({ expr: 'vector(1)', summary: 's', description: 'd', examples: { fires: { name: 'f', series: [], evalTime: '1m', alerts: [] }, silent: { neverSilent: 'n' } } }),
    };
    const spec = resolveSpec({
      namespace: 'x',
      services: [{ name: 'x', port: 1 }, { name: 'y', port: 2 }],
      alerting: { overrides: [{ alert: 'ServiceDown', service: 'y', disabled: true }] },
    });
    expect(overridesFor(template, spec.alerting.overrides)).toEqual([]);
    expect(resolveAlert(template, spec)).toMatchObject({ alert: 'ServiceDown', for: '3m', severity: 'critical' });
  });
});
