import { http, httpAvailability, httpLatency, kubernetes, nodejs, pythonRuntime, stackHealth } from '../../src/mixins';
import { resolveSpec, SpecError, type SpecProblem } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { BAD_MIXINS } from '../fixtures/bad-mixins';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080, mixins: [http(), nodejs()] }] };
const secret = { name: 'alerting', key: 'token' };
const slack = { name: 'chat', type: 'slack', apiUrl: secret, channel: '#alerts' };
const availability = { name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' };
const latency = { name: 'latency', sli: httpLatency(0.5), objective: 99, period: '30d' };
const withSlos = (slos: unknown[], mixins: unknown[] = [http()]) => ({ ...base, services: [{ name: 'api', port: 8080, mixins, slos }] });
const withMixins = (...mixins: unknown[]) => ({ ...base, services: [{ name: 'api', port: 8080, mixins }] });
const withOverrides = (overrides: unknown[]) => ({ ...withSlos([availability], [http(), nodejs()]), alerting: { overrides } });
const sli = (value: unknown) => withSlos([{ ...availability, sli: value }]);
const HTTP = 'http_server_request_duration_seconds';

function problemsOf(input: unknown): SpecProblem[] {
  try {
    resolveSpec(input);
  } catch (error) {
    if (error instanceof SpecError) return [...error.problems];
    throw error;
  }
  throw new Error('spec was accepted');
}

/** [what is wrong, the spec, the path the error must name, a fragment of the message that says how to fix it] */
const badSpecs: ReadonlyArray<readonly [string, unknown, string, string]> = [
  ['empty namespace', { ...base, namespace: '' }, 'namespace', 'DNS-1123 label'],
  ['namespace with capitals', { ...base, namespace: 'Observability' }, 'namespace', 'got "Observability"'],
  ['namespace too long', { ...base, namespace: 'a'.repeat(64) }, 'namespace', 'at most 63 characters'],
  ['service name with underscore', { ...base, services: [{ name: 'my_api', port: 80 }] }, 'services[0].name', 'got "my_api"'],
  ['service name starting with a digit', { ...base, services: [{ name: '1api', port: 80 }] }, 'services[0].name', 'starting with a letter'],
  ['service without a port', { ...base, services: [{ name: 'api' }] }, 'services[0].port', 'is required'],
  ['port above 65535', { ...base, services: [{ name: 'a', port: 1 }, { name: 'b', port: 70000 }] }, 'services[1].port', 'must be 1–65535, got 70000'],
  ['port zero', { ...base, services: [{ name: 'api', port: 0 }] }, 'services[0].port', 'must be 1–65535, got 0'],
  ['fractional port', { ...base, services: [{ name: 'api', port: 80.5 }] }, 'services[0].port', 'got 80.5'],
  ['port as a string', { ...base, services: [{ name: 'api', port: '8080' }] }, 'services[0].port', 'must be a port number'],
  ['duplicate service names', { ...base, services: [{ name: 'api', port: 80 }, { name: 'api', port: 81 }] }, 'services[1].name', 'already used by services[0]'],
  ['two services on one host:port', { ...base, services: [{ name: 'a', port: 80, host: 'box' }, { name: 'b', port: 80, host: 'box' }] }, 'services[1].port', 'box:80 is already scraped'],
  ['service named like a stack component', { ...base, services: [{ name: 'prometheus', port: 9999 }] }, 'services[0].name', 'name of a stack component'],
  ['relative metrics path', { ...base, services: [{ name: 'api', port: 80, metricsPath: 'metrics' }] }, 'services[0].metricsPath', 'absolute URL path'],
  ['metrics path with a query', { ...base, services: [{ name: 'api', port: 80, metricsPath: '/metrics?x=1' }] }, 'services[0].metricsPath', 'got "/metrics?x=1"'],
  ['bad host', { ...base, services: [{ name: 'api', port: 80, host: 'http://api' }] }, 'services[0].host', 'host name'],
  ['services not a list', { ...base, services: { api: 80 } }, 'services', 'list of services'],
  ['bad duration unit', { ...base, scrapeInterval: '15 seconds' }, 'scrapeInterval', 'Prometheus duration'],
  ['zero duration', { ...base, evaluationInterval: '0s' }, 'evaluationInterval', 'positive Prometheus duration'],
  ['units out of order', { ...base, scrapeInterval: '30s1m' }, 'scrapeInterval', 'largest first'],
  ['scrape interval too long', { ...base, services: [{ name: 'api', port: 80, scrapeInterval: '10m' }] }, 'services[0].scrapeInterval', 'at most 5m'],
  ['evaluation interval too long', { ...base, evaluationInterval: '1h' }, 'evaluationInterval', 'at most 5m'],
  ['metrics retention unparseable', { ...base, retention: { metrics: '2 weeks' } }, 'retention.metrics', 'got "2 weeks"'],
  ['metrics retention below one block', { ...base, retention: { metrics: '30m' } }, 'retention.metrics', 'at least 2h'],
  ['retention size in Kubernetes units', { ...base, retention: { metricsSize: '40Gi' } }, 'retention.metricsSize', 'Prometheus units'],
  ['log retention not whole days', { ...base, retention: { logs: '36h' } }, 'retention.logs', 'whole number of days'],
  ['trace retention too short', { ...base, retention: { traces: '10m' } }, 'retention.traces', 'at least 1h'],
  ['bad storage size', { ...base, storage: { sizes: { prometheus: '50 GB' } } }, 'storage.sizes.prometheus', 'Kubernetes quantity'],
  ['storage size for an unknown component', { ...base, storage: { sizes: { mimir: '1Gi' } } }, 'storage.sizes.mimir', 'unknown field'],
  ['bad storage class', { ...base, storage: { storageClass: 'Fast_SSD' } }, 'storage.storageClass', 'got "Fast_SSD"'],
  ['memory limit below request', { ...base, resources: { loki: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } } }, 'resources.loki.limits.memory', 'at least requests.memory (2Gi)'],
  ['cpu limit below request', { ...base, resources: { grafana: { limits: { cpu: '50m' } } } }, 'resources.grafana.limits.cpu', 'at least requests.cpu (100m)'],
  ['bad cpu quantity', { ...base, resources: { tempo: { requests: { cpu: 'half' } } } }, 'resources.tempo.requests.cpu', 'Kubernetes quantity'],
  ['receiver without its secret', { ...base, alerting: { receivers: [{ name: 'pager', type: 'pagerduty' }] } }, 'alerting.receivers[0].routingKey', 'is required'],
  ['secret given inline', { ...base, alerting: { receivers: [{ ...slack, apiUrl: 'https://hooks.slack.com/services/T0/B0/XYZ' }] } }, 'alerting.receivers[0].apiUrl', 'never put the secret value itself'],
  ['secret value smuggled in as an extra field', { ...base, alerting: { receivers: [{ ...slack, token: 'xoxb-123' }] } }, 'alerting.receivers[0].token', 'unknown field'],
  ['secret reference without a key', { ...base, alerting: { receivers: [{ ...slack, apiUrl: { name: 'slack' } }] } }, 'alerting.receivers[0].apiUrl.key', 'is required'],
  ['unknown receiver type', { ...base, alerting: { receivers: [{ name: 'sms', type: 'sms', url: secret }] } }, 'alerting.receivers[0].type', 'got "sms"'],
  ['duplicate receiver names', { ...base, alerting: { receivers: [slack, slack] } }, 'alerting.receivers[1].name', 'already used'],
  ['receiver named null', { ...base, alerting: { receivers: [{ ...slack, name: 'null' }] } }, 'alerting.receivers[0].name', 'built-in receiver'],
  ['email without a valid address', { ...base, alerting: { receivers: [{ name: 'mail', type: 'email', to: 'oncall', from: 'am@x.io', smarthost: 'smtp.x.io:587' }] } }, 'alerting.receivers[0].to', 'email address'],
  ['email password without user', { ...base, alerting: { receivers: [{ name: 'mail', type: 'email', to: 'a@x.io', from: 'am@x.io', smarthost: 'smtp.x.io:587', authPassword: secret }] } }, 'alerting.receivers[0]', 'authUsername and authPassword go together'],
  ['unknown severity', { ...base, alerting: { routes: [{ severity: 'urgent', receiver: 'null' }] } }, 'alerting.routes[0].severity', 'one of critical, warning, info, got "urgent"'],
  ['route to an undefined receiver', { ...base, alerting: { routes: [{ severity: 'critical', receiver: 'pager' }] } }, 'alerting.routes[0].receiver', 'no receiver named "pager"'],
  ['severity routed twice', { ...base, alerting: { receivers: [slack], routes: [{ severity: 'warning', receiver: 'chat' }, { severity: 'warning', receiver: 'null' }] } }, 'alerting.routes[1].severity', 'already routed'],
  ['watchdog to an undefined receiver', { ...base, alerting: { watchdogReceiver: 'deadmans' } }, 'alerting.watchdogReceiver', 'no receiver named "deadmans"'],
  ['group_by with a bad label name', { ...base, alerting: { groupBy: ['service.name'] } }, 'alerting.groupBy[0]', 'Prometheus label name'],
  ['repeat interval shorter than group interval', { ...base, alerting: { repeatInterval: '1m' } }, 'alerting.repeatInterval', 'at least groupInterval (5m)'],
  ['runbook URL with a trailing slash', { ...base, alerting: { runbookBaseUrl: 'https://runbooks.example.com/' } }, 'alerting.runbookBaseUrl', 'without a trailing'],
  ['compose ports clashing', { ...base, compose: { ports: { prometheus: 3000 } } }, 'compose.ports.prometheus', '3000 is already published for grafana'],
  ['compose port out of range', { ...base, compose: { ports: { otlpGrpc: 99999 } } }, 'compose.ports.otlpGrpc', 'must be 1–65535, got 99999'],
  ['misspelt top-level field', { ...base, retension: { metrics: '15d' } }, 'retension', 'unknown field'],
  ['bad environment', { ...base, environment: 'Prod Env' }, 'environment', 'got "Prod Env"'],
  ['grafana admin secret name invalid', { ...base, grafana: { adminSecretName: 'Grafana Admin' } }, 'grafana.adminSecretName', 'DNS-1123'],
  ['SLO objective above 100', withSlos([{ ...availability, objective: 120 }]), 'services[0].slos[0].objective', 'must be between 0 and 100 (exclusive), got 120'],
  ['SLO objective of 100', withSlos([{ ...availability, objective: 100 }]), 'services[0].slos[0].objective', 'got 100'],
  ['SLO objective of 0', withSlos([availability, { ...latency, objective: 0 }]), 'services[0].slos[1].objective', 'got 0'],
  ['SLO objective as a ratio', withSlos([{ ...availability, objective: 0.999 }]), 'services[0].slos[0].objective', 'could never fire; use an objective above 93.06'],
  ['SLO objective too low for the fast burn-rate alert', withSlos([{ ...availability, objective: 90 }]), 'services[0].slos[0].objective', 'ErrorBudgetBurnFast (burn rate ×14.4 over 1h) would need more than 100% errors'],
  ['SLO objective as a string', withSlos([{ ...availability, objective: '99.9%' }]), 'services[0].slos[0].objective', 'target in percent such as 99.9'],
  ['SLO period not parseable', withSlos([{ ...availability, period: '30 days' }]), 'services[0].slos[0].period', 'Prometheus duration'],
  ['SLO period shorter than the longest alert window', withSlos([{ ...availability, period: '1d' }]), 'services[0].slos[0].period', 'at least 3d'],
  ['SLO without an SLI', withSlos([{ ...availability, sli: undefined }]), 'services[0].slos[0].sli', 'must be an SLI'],
  ['latency SLO threshold that is not a bucket', withSlos([{ ...latency, sli: httpLatency(0.3) }]), 'services[0].slos[0].sli.threshold', `0.3 is not a bucket boundary of ${HTTP} as this service emits it`],
  ['latency SLO threshold in milliseconds', withSlos([{ ...latency, sli: httpLatency(500) }]), 'services[0].slos[0].sli.threshold', 'use one of 0.005, 0.01'],
  ['buckets out of order on a service with a latency SLO', withSlos([latency], [http({ buckets: [1, 0.5] })]), 'services[0].mixins[0].buckets', 'must be strictly ascending'],
  ['latency SLO threshold not among the service’s own buckets', withSlos([latency], [http({ buckets: [0.1, 0.3, 1] })]), 'services[0].slos[0].sli.threshold', 'use one of 0.1, 0.3, 1'],
  ['SLO on a metric no mixin of the service defines', sli({ metric: 'orders_total', bad: { outcome: 'failed' } }), 'services[0].slos[0].sli.metric', 'is not a metric of the service\'s mixins (http)'],
  ['SLO on a metric another service’s mixin defines', withSlos([{ ...availability, sli: { metric: 'python_gc_collections_total', bad: { generation: '2' } } }]), 'services[0].slos[0].sli.metric', 'list the mixin that defines it'],
  ['SLO matcher on a label the metric lacks', sli({ metric: HTTP, bad: { status: '5..' } }), 'services[0].slos[0].sli.bad.status', `"${HTTP}" has no label "status"`],
  ['SLO total matcher on a label the metric lacks', sli({ ...httpAvailability(), total: { route: '/api/.*' } }), 'services[0].slos[0].sli.total.route', 'has no label "route"'],
  ['SLO matcher that is not a regular expression', sli({ metric: HTTP, bad: { http_response_status_code: '5[' } }), 'services[0].slos[0].sli.bad.http_response_status_code', 'not a valid regular expression'],
  ['SLO with both good and bad matchers', sli({ metric: HTTP, bad: { http_response_status_code: '5..' }, good: { http_response_status_code: '2..' } }), 'services[0].slos[0].sli', 'give exactly one of bad or good matchers'],
  ['SLO with bad matchers and a bad-events metric', sli({ metric: HTTP, bad: { http_response_status_code: '5..' }, badMetric: { metric: 'python_gc_collections_total', inTotal: true } }), 'services[0].slos[0].sli', 'or badMetric (bad events counted by another metric)'],
  ['SLO bad-events metric no mixin of the service defines', sli({ metric: HTTP, badMetric: { metric: 'capture_errors_total', inTotal: true } }), 'services[0].slos[0].sli.badMetric.metric', '"capture_errors_total" is not a metric of the service\'s mixins (http)'],
  ['SLO bad-events metric without inTotal', sli({ metric: HTTP, badMetric: { metric: HTTP } }), 'services[0].slos[0].sli.badMetric.inTotal', 'is required'],
  ['SLO bad-events metric that is the SLI’s own', sli({ metric: HTTP, badMetric: { metric: HTTP, inTotal: true } }), 'services[0].slos[0].sli.badMetric.metric', 'give bad matchers instead'],
  ['SLO bad-events metric that is a gauge', sli({ metric: HTTP, badMetric: { metric: 'http_server_active_requests', inTotal: true } }), 'services[0].slos[0].sli.badMetric.metric', 'is a gauge'],
  ['SLO bad-events matcher on a label that metric lacks', withSlos([{ ...availability, sli: { metric: HTTP, badMetric: { metric: 'python_gc_collections_total', matchers: { code: '5..' }, inTotal: false } } }], [http(), pythonRuntime()]), 'services[0].slos[0].sli.badMetric.matchers.code', '"python_gc_collections_total" has no label "code"'],
  ['SLO on a gauge', sli({ metric: 'http_server_active_requests', bad: { url_scheme: 'http' } }), 'services[0].slos[0].sli.metric', 'is a gauge'],
  ['latency SLO on a counter', withSlos([{ ...latency, sli: { metric: 'process_cpu_seconds_total', threshold: 1 } }], [http(), pythonRuntime()]), 'services[0].slos[0].sli.threshold', 'needs a histogram'],
  ['two SLOs of one service with one name', withSlos([availability, { ...latency, name: 'availability' }]), 'services[0].slos[1].name', 'already used by services[0].slos[0]'],
  ['SLO name with capitals', withSlos([{ ...availability, name: 'Availability' }]), 'services[0].slos[0].name', 'lowercase name'],
  ['SLO minimum requests not whole', withSlos([{ ...availability, minRequests: 2.5 }]), 'services[0].slos[0].minRequests', 'whole number of requests'],
  ['SLO with a misspelt field', withSlos([{ ...availability, target: 99.9 }]), 'services[0].slos[0].target', 'unknown field'],
  ['error-ratio threshold in percent', withMixins(http({ errorRatio: 5 })), 'services[0].mixins[0].errorRatio', 'must be above 0 and below 1, got 5'],
  ['latency threshold beyond the buckets', withMixins(http({ latencyP95Seconds: 30 })), 'services[0].mixins[0].latencyP95Seconds', 'below 10'],
  ['latency threshold beyond the service’s own buckets', withMixins(http({ buckets: [0.1, 0.5, 1], latencyP95Seconds: 2 })), 'services[0].mixins[0].latencyP95Seconds', 'at least 0.1 and below 1'],
  ['mixin duration not parseable', withMixins(http({ errorRatioFor: 'soon' })), 'services[0].mixins[0].errorRatioFor', 'Prometheus duration'],
  ['mixin duration too long', withMixins(http({ latencyFor: '2d' })), 'services[0].mixins[0].latencyFor', 'at most 1d'],
  ['negative memory threshold', withMixins(http(), nodejs({ memoryBytes: -1 })), 'services[0].mixins[1].memoryBytes', 'at least 1048576'],
  ['buckets not ascending', withMixins(http({ buckets: [0.5, 0.1] })), 'services[0].mixins[0].buckets', 'strictly ascending'],
  ['buckets empty', withMixins(http({ buckets: [] })), 'services[0].mixins[0].buckets', 'non-empty list'],
  ['unknown mixin parameter', withMixins(http({ errorRate: 0.1 } as never)), 'services[0].mixins[0].errorRate', 'has no parameter "errorRate"; it takes errorRatio'],
  ['stack mixin config out of range', { ...base, mixins: [stackHealth({ serviceDownFor: '2h' })] }, 'mixins[0].serviceDownFor', 'at most 1h'],
  ['a service listing a stack mixin', withMixins(stackHealth()), 'services[0].mixins[0]', 'is a stack mixin'],
  ['a service mixin at stack level', { ...base, mixins: [http()] }, 'mixins[0]', 'describes what a service emits'],
  ['a mixin that is not one', withMixins('http'), 'services[0].mixins[0]', 'must be a mixin'],
  ...BAD_MIXINS.map(([what, mixin, fragment]) => [what, withMixins(http(), mixin), 'services[0].mixins[1]', fragment] as const),
  ['override of an alert the service’s mixins do not generate', { ...withMixins(http(), pythonRuntime()), alerting: { overrides: [{ alert: 'ServiceEventLoopLagHigh', service: 'api', disabled: true }] } }, 'alerting.overrides[0].alert', 'no alert named "ServiceEventLoopLagHigh"'],
  ['override for a service without that alert', { ...base, services: [...base.services, { name: 'ingest', port: 8000, mixins: [pythonRuntime()] }], alerting: { overrides: [{ alert: 'ServiceEventLoopLagHigh', service: 'ingest', disabled: true }] } }, 'alerting.overrides[0].service', 'service "ingest" has no ServiceEventLoopLagHigh'],
  ['override threshold out of the mixin parameter’s range', withOverrides([{ alert: 'ServiceMemoryHigh', threshold: 10 }]), 'alerting.overrides[0].threshold', 'at least 1048576'],
  ['override latency threshold beyond the buckets', withOverrides([{ alert: 'ServiceLatencyHigh', threshold: 30 }]), 'alerting.overrides[0].threshold', 'below 10'],
  ['service route to an undefined receiver', { ...base, services: [{ name: 'api', port: 8080, routes: [{ severity: 'critical', receiver: 'pager' }] }] }, 'services[0].routes[0].receiver', 'no receiver named "pager"'],
  ['service routing a severity twice', { ...base, services: [{ name: 'api', port: 8080, routes: [{ severity: 'critical', receiver: 'null' }, { severity: 'critical', receiver: 'null' }] }] }, 'services[0].routes[1].severity', 'already routed by services[0].routes[0]'],
  ['override of an unknown alert', withOverrides([{ alert: 'TargetDwn', disabled: true }]), 'alerting.overrides[0].alert', 'no alert named "TargetDwn"'],
  ['override of a replaced burn-rate alert', withOverrides([{ alert: 'ErrorBudgetBurn6h', for: '5m' }]), 'alerting.overrides[0].alert', 'ErrorBudgetBurnFast replaced it'],
  ['override for an unknown service', withOverrides([{ alert: 'ServiceDown', service: 'web', for: '1m' }]), 'alerting.overrides[0].service', 'no service named "web"'],
  ['override for an SLO that does not exist', withOverrides([{ alert: 'ErrorBudgetBurnFast', slo: 'latency', disabled: true }]), 'alerting.overrides[0].slo', 'no SLO named "latency"'],
  ['override of a stack alert for one service', withOverrides([{ alert: 'TargetDown', service: 'api', for: '1m' }]), 'alerting.overrides[0].service', 'watches the stack, not a service'],
  ['threshold for an alert without one', withOverrides([{ alert: 'TargetDown', threshold: 2 }]), 'alerting.overrides[0].threshold', 'TargetDown has no threshold to change'],
  ['threshold for a burn-rate alert', withOverrides([{ alert: 'ErrorBudgetBurnFast', threshold: 10 }]), 'alerting.overrides[0].threshold', 'derives its threshold from the SLO'],
  ['ratio threshold in percent', withOverrides([{ alert: 'ServiceErrorRatioHigh', threshold: 5 }]), 'alerting.overrides[0].threshold', 'must be above 0 and below 1, got 5'],
  ['stack ratio threshold in percent', withOverrides([{ alert: 'PrometheusNotificationsFailing', threshold: 5 }]), 'alerting.overrides[0].threshold', 'compares a ratio: must be between 0 and 1'],
  ['override setting severity through labels', withOverrides([{ alert: 'TargetDown', labels: { severity: 'critical' } }]), 'alerting.overrides[0].labels.severity', 'use the severity field'],
  ['override label with a bad name', withOverrides([{ alert: 'TargetDown', labels: { 'team-name': 'x' } }]), 'alerting.overrides[0].labels.team-name', 'not a valid Prometheus label name'],
  ['override for duration not parseable', withOverrides([{ alert: 'TargetDown', for: '5 min' }]), 'alerting.overrides[0].for', 'Prometheus duration'],
  ['override with an unknown severity', withOverrides([{ alert: 'TargetDown', severity: 'page' }]), 'alerting.overrides[0].severity', 'got "page"'],
  ['two overrides of the same alert', withOverrides([{ alert: 'TargetDown', for: '1m' }, { alert: 'TargetDown', disabled: true }]), 'alerting.overrides[1]', 'merge them'],
  ['SLO period longer than metrics retention', { ...base, retention: { metrics: '14d' }, services: [{ name: 'api', port: 8080, mixins: [http()], slos: [{ ...availability, period: '28d' }] }] }, 'services[0].slos[0].period', 'longer than retention.metrics'],
  ['grafana anonymous access as a boolean', { ...base, grafana: { anonymousViewer: true } }, 'grafana.anonymousViewer', 'must be "compose", "always" or "never", got true'],
  ['unknown ingest mode', { ...base, services: [{ name: 'api', ingest: 'push' }] }, 'services[0].ingest', 'must be "scrape" (Prometheus scrapes it) or "otlp" (it pushes OTLP), got "push"'],
  ['scraped service without a port', { ...base, services: [{ name: 'api' }] }, 'services[0].port', 'is required for a scraped service'],
  ['push-only service with a port', { ...base, services: [{ name: 'hooks', ingest: 'otlp', port: 8080 }] }, 'services[0].port', 'applies to scraped services only'],
  ['push-only service with a scrape interval', { ...base, services: [{ name: 'hooks', ingest: 'otlp', scrapeInterval: '30s' }] }, 'services[0].scrapeInterval', 'has no scrape job'],
  ['push-only service with a metrics path', { ...base, services: [{ name: 'hooks', ingest: 'otlp', metricsPath: '/metrics' }] }, 'services[0].metricsPath', 'applies to scraped services only'],
  ['staleAfter on a scraped service', { ...base, services: [{ name: 'api', port: 8080, staleAfter: '10m' }] }, 'services[0].staleAfter', 'push-only services'],
  ['health check path not absolute', { ...base, services: [{ name: 'api', port: 8080, healthChecks: [{ path: 'health' }] }] }, 'services[0].healthChecks[0].path', 'absolute URL path'],
  ['health check port out of range', { ...base, services: [{ name: 'api', port: 8080, healthChecks: [{ path: '/h', port: 0 }] }] }, 'services[0].healthChecks[0].port', 'must be 1–65535'],
  ['health check with an unknown field', { ...base, services: [{ name: 'api', port: 8080, healthChecks: [{ path: '/h', url: 'x' }] }] }, 'services[0].healthChecks[0].url', 'unknown field'],
  ['health checks not a list', { ...base, services: [{ name: 'api', port: 8080, healthChecks: '/health' }] }, 'services[0].healthChecks', 'list of { path, port? }'],
  ['health check of a push-only service without a port', { ...base, services: [{ name: 'hooks', ingest: 'otlp', healthChecks: [{ path: '/health' }] }] }, 'services[0].healthChecks[0].port', 'is required'],
  ['the same health endpoint twice', { ...base, services: [{ name: 'api', port: 8080, healthChecks: [{ path: '/h' }, { path: '/h', port: 8080 }] }] }, 'services[0].healthChecks[1]', 'list each endpoint once'],
  ['healthCheckFor not a duration', { ...base, mixins: [stackHealth({ healthCheckFor: 'a while' })] }, 'mixins[0].healthCheckFor', 'Prometheus duration'],
  ['staleAfter not a duration', { ...base, services: [{ name: 'hooks', ingest: 'otlp', staleAfter: 'an hour' }] }, 'services[0].staleAfter', 'Prometheus duration'],
  ['route to several receivers, one unknown', { ...base, alerting: { receivers: [slack], routes: [{ severity: 'critical', receiver: ['chat', 'pager'] }] } }, 'alerting.routes[0].receiver', 'no receiver named "pager"'],
  ['route to an empty list of receivers', { ...base, alerting: { routes: [{ severity: 'critical', receiver: [] }] } }, 'alerting.routes[0].receiver', 'at least one receiver'],
  ['route naming a receiver twice', { ...base, alerting: { receivers: [slack], routes: [{ severity: 'critical', receiver: ['chat', 'chat'] }] } }, 'alerting.routes[0].receiver', 'names "chat" twice'],
  ['route to null among other receivers', { ...base, alerting: { receivers: [slack], routes: [{ severity: 'critical', receiver: ['chat', 'null'] }] } }, 'alerting.routes[0].receiver', 'cannot be one of several'],
  ['route receiver as a number', { ...base, alerting: { routes: [{ severity: 'critical', receiver: 7 }] } }, 'alerting.routes[0].receiver', 'receiver name or a list of receiver names'],
  ['service route to several receivers, one unknown', { ...base, alerting: { receivers: [slack] }, services: [{ name: 'api', port: 8080, routes: [{ severity: 'critical', receiver: ['chat', 'pager'] }] }] }, 'services[0].routes[0].receiver', 'no receiver named "pager"'],
  ['bad cluster name', { ...base, cluster: 'EU West' }, 'cluster', 'cluster name such as "eu-west-1"'],
  ['environment override for an unknown target', { ...base, environments: { staging: { environment: 'staging' } } }, 'environments.staging', 'unknown field'],
  ['environment override of a field it cannot change', { ...base, environments: { compose: { retention: { logs: '1d' } } } }, 'environments.compose.retention', 'unknown field'],
  ['compose override routing to an undefined receiver', { ...base, environments: { compose: { alerting: { routes: [{ severity: 'critical', receiver: 'pager' }] } } } }, 'environments.compose.alerting.routes[0].receiver', 'no receiver named "pager"'],
  ['compose override removing a receiver a service routes to', { ...base, alerting: { receivers: [slack] }, services: [{ name: 'api', port: 8080, routes: [{ severity: 'warning', receiver: 'chat' }] }], environments: { compose: { alerting: { receivers: [] } } } }, 'services[0].routes[0].receiver', 'with environments.compose applied'],
  ['kubernetes override with a bad environment name', { ...base, environments: { kubernetes: { environment: 'Prod' } } }, 'environments.kubernetes.environment', 'got "Prod"'],
  ['sample limit negative', { ...base, scrapeLimits: { sampleLimit: -1 } }, 'scrapeLimits.sampleLimit', 'whole number of samples, 0 or more'],
  ['label limit as a string', { ...base, scrapeLimits: { labelLimit: '64' } }, 'scrapeLimits.labelLimit', 'must be a number of labels'],
  ['label value length limit fractional', { ...base, services: [{ name: 'api', port: 8080, scrapeLimits: { labelValueLengthLimit: 10.5 } }] }, 'services[0].scrapeLimits.labelValueLengthLimit', 'whole number of characters'],
  ['misspelt scrape limit', { ...base, services: [{ name: 'api', port: 8080, scrapeLimits: { samples: 10 } }] }, 'services[0].scrapeLimits.samples', 'unknown field'],
  ['scrape limits on a push-only service', { ...base, services: [{ name: 'hooks', ingest: 'otlp', scrapeLimits: { sampleLimit: 10 } }] }, 'services[0].scrapeLimits', 'applies to scraped services only'],
  ['OTLP token given inline', { ...base, intake: { otlpToken: 's3cr3t' } }, 'intake.otlpToken', 'never put the secret value itself'],
  ['mask attribute not a key', { ...base, intake: { maskAttributes: ['user id'] } }, 'intake.maskAttributes[0]', 'attribute key such as "user.id"'],
  ['mask attributes not a list', { ...base, intake: { maskAttributes: 'user.id' } }, 'intake.maskAttributes', 'list of attribute keys'],
  ['OTLP namespace not a DNS label', { ...base, intake: { otlpNamespaces: ['Shop'] } }, 'intake.otlpNamespaces[0]', 'DNS-1123'],
  ['misspelt intake field', { ...base, intake: { otlpTokens: secret } }, 'intake.otlpTokens', 'unknown field'],
  ['attribute value cap negative', { ...base, intake: { attributeLimits: { valueLength: -1 } } }, 'intake.attributeLimits.valueLength', 'whole number of characters'],
  ['attribute count cap below the resource keys it keeps', { ...base, intake: { attributeLimits: { count: 2 } } }, 'intake.attributeLimits.count', 'at least 3: a resource keeps service.name'],
  ['attribute cap misspelt', { ...base, intake: { attributeLimits: { maxLength: 100 } } }, 'intake.attributeLimits.maxLength', 'unknown field'],
  ['Loki burst below its rate', { ...base, intake: { loki: { ingestionRateMb: 10 } } }, 'intake.loki.ingestionBurstSizeMb', 'at least ingestionRateMb (10)'],
  ['Loki line size of zero', { ...base, intake: { loki: { maxLineSizeBytes: 0 } } }, 'intake.loki.maxLineSizeBytes', 'at least 1'],
  ['Tempo burst below its rate', { ...base, intake: { tempo: { rateLimitBytes: 50_000_000 } } }, 'intake.tempo.burstSizeBytes', 'at least rateLimitBytes (50000000)'],
  ['Tempo rate of zero', { ...base, intake: { tempo: { rateLimitBytes: 0 } } }, 'intake.tempo.rateLimitBytes', 'at least 1'],
  ['Tempo trace size negative', { ...base, intake: { tempo: { maxBytesPerTrace: -1 } } }, 'intake.tempo.maxBytesPerTrace', '0 or more'],
  ['Tempo live traces fractional', { ...base, intake: { tempo: { maxTracesPerUser: 2.5 } } }, 'intake.tempo.maxTracesPerUser', 'whole number of traces'],
  ['Tempo limits with an unknown field', { ...base, intake: { tempo: { maxSpansPerTrace: 10 } } }, 'intake.tempo.maxSpansPerTrace', 'unknown field'],
  ['Loki rate as a string', { ...base, intake: { loki: { ingestionRateMb: '4MB' } } }, 'intake.loki.ingestionRateMb', 'megabytes per second'],
  ['sampling percentage of 0', { ...base, sampling: { tracesPercent: 0 } }, 'sampling.tracesPercent', 'above 0 and at most 100'],
  ['sampling as a ratio string', { ...base, sampling: { tracesPercent: '1%' } }, 'sampling.tracesPercent', 'must be a percentage such as 10'],
  ['sampling above 100', { ...base, sampling: { tracesPercent: 150 } }, 'sampling.tracesPercent', 'got 150'],
  ['tail sampling with head sampling', { ...base, sampling: { tracesPercent: 10 }, environments: { compose: { sampling: { tail: { percent: 10 } } } } }, 'environments.compose.sampling.tail', 'head sampling (tracesPercent 10) drops traces'],
  ['tail sampling percent above 100', { ...base, environments: { compose: { sampling: { tail: { percent: 120 } } } } }, 'environments.compose.sampling.tail.percent', 'from 0 to 100, got 120'],
  ['tail sampling without percent', { ...base, environments: { compose: { sampling: { tail: { keepErrors: true } } } } }, 'environments.compose.sampling.tail.percent', 'is required'],
  ['tail sampling threshold not a duration', { ...base, environments: { compose: { sampling: { tail: { percent: 10, slowerThan: 2000 } } } } }, 'environments.compose.sampling.tail.slowerThan', 'duration such as "30s"'],
  ['tail sampling keepErrors as a string', { ...base, environments: { compose: { sampling: { tail: { percent: 10, keepErrors: 'yes' } } } } }, 'environments.compose.sampling.tail.keepErrors', 'true or false, got "yes"'],
  ['tail sampling decision wait misspelt', { ...base, environments: { compose: { sampling: { tail: { percent: 10, decisionwait: '5s' } } } } }, 'environments.compose.sampling.tail.decisionwait', 'unknown field'],
  ['drop attribute not a key', { ...base, intake: { dropAttributes: ['url full'] } }, 'intake.dropAttributes[0]', 'attribute key such as "user.id"'],
  ['drop attributes not a list', { ...base, intake: { dropAttributes: 'url.full' } }, 'intake.dropAttributes', 'list of attribute keys'],
  ['drop attribute listed twice', { ...base, intake: { dropAttributes: ['url.full', 'url.full'] } }, 'intake.dropAttributes[1]', 'listed twice'],
  ['drop attribute also masked', { ...base, intake: { dropAttributes: ['user.id'], maskAttributes: ['user.id'] } }, 'intake.dropAttributes[0]', 'also masked'],
  ['drop attribute also promoted', { ...base, intake: { dropAttributes: ['host.name'], promoteResourceAttributes: ['host.name'] } }, 'intake.dropAttributes[0]', 'also promoted'],
  ['log folder with a space', { ...base, intake: { logFiles: { hostPath: '/var/log/my app' } } }, 'intake.logFiles.hostPath', 'without spaces'],
  ['log folder as a bare name', { ...base, intake: { logFiles: { hostPath: 'logs' } } }, 'intake.logFiles.hostPath', 'starting with "./" or "../"'],
  ['log folder with a compose volume suffix', { ...base, intake: { logFiles: { hostPath: '/var/log:/x' } } }, 'intake.logFiles.hostPath', 'got "/var/log:/x"'],
  ['log glob escaping its folder', { ...base, intake: { logFiles: { hostPath: '/logs', include: ['../secrets/*'] } } }, 'intake.logFiles.include[0]', 'no ".."'],
  ['log glob absolute', { ...base, intake: { logFiles: { hostPath: '/logs', include: ['/etc/*'] } } }, 'intake.logFiles.include[0]', 'not absolute'],
  ['log globs empty', { ...base, intake: { logFiles: { hostPath: '/logs', include: [] } } }, 'intake.logFiles.include', 'at least one glob'],
  ['log globs as a string', { ...base, intake: { logFiles: { include: '*.log' } } }, 'intake.logFiles.include', 'list of globs'],
  ['node agent as a string', { ...base, intake: { logFiles: { nodeAgent: 'yes' } } }, 'intake.logFiles.nodeAgent', 'true or false, got "yes"'],
  ['node agent with a namespace too long for its own', { ...base, namespace: 'a'.repeat(60), intake: { logFiles: { nodeAgent: true } } }, 'intake.logFiles.nodeAgent', 'at most 52 characters'],
  ['misspelt log files field', { ...base, intake: { logFiles: { hostpath: '/logs' } } }, 'intake.logFiles.hostpath', 'unknown field'],
  ['tail sampling field misspelt', { ...base, environments: { compose: { sampling: { tail: { percent: 10, errors: true } } } } }, 'environments.compose.sampling.tail.errors', 'unknown field'],
  ['promoting a masked attribute', { ...base, intake: { maskAttributes: ['session.id'], promoteResourceAttributes: ['session.id'] } }, 'intake.promoteResourceAttributes[0]', 'is masked'],
  ['promoting an attribute twice', { ...base, intake: { promoteResourceAttributes: ['host.name', 'host.name'] } }, 'intake.promoteResourceAttributes[1]', 'listed twice'],
  ['promoting service.name again', { ...base, intake: { promoteResourceAttributes: ['service.name'] } }, 'intake.promoteResourceAttributes[0]', 'already a label'],
  ['promoted attribute with a space', { ...base, intake: { promoteResourceAttributes: ['host name'] } }, 'intake.promoteResourceAttributes[0]', 'resource attribute key such as "service.version"'],
  ['stateful part with burstable memory', { ...base, resources: { prometheus: { requests: { memory: '1Gi' } } } }, 'resources.prometheus.requests.memory', 'must equal limits.memory (2Gi) for a stateful part'],
  ['node CIDR that is an address', { ...base, kubernetes: { nodeCidrs: ['10.0.0.1'] } }, 'kubernetes.nodeCidrs[0]', 'IPv4 or IPv6 CIDR'],
  ['node CIDR of every address', { ...base, kubernetes: { nodeCidrs: ['0.0.0.0/0'] } }, 'kubernetes.nodeCidrs[0]', "must not be every address (0.0.0.0/0): name your nodes' subnets"],
  ['node CIDR with a prefix too long', { ...base, kubernetes: { nodeCidrs: ['10.0.0.0/33'] } }, 'kubernetes.nodeCidrs[0]', 'got "10.0.0.0/33"'],
  ['no node CIDR', { ...base, kubernetes: { nodeCidrs: [] } }, 'kubernetes.nodeCidrs', 'reaches the kubelets only there'],
  ['node CIDRs as one string', { ...base, kubernetes: { nodeCidrs: '10.0.0.0/8' } }, 'kubernetes.nodeCidrs', 'list of CIDRs'],
  ['kubelet TLS switch as a string', { ...base, kubernetes: { kubeletInsecureSkipVerify: 'yes' } }, 'kubernetes.kubeletInsecureSkipVerify', 'must be true or false, got "yes"'],
  ['kube-state-metrics memory limit below request', { ...base, resources: { kubeStateMetrics: { requests: { memory: '512Mi' } } } }, 'resources.kubeStateMetrics.limits.memory', 'at least requests.memory (512Mi)'],
  ['kube-state-metrics bad cpu quantity', { ...base, resources: { kubeStateMetrics: { requests: { cpu: 'lots' } } } }, 'resources.kubeStateMetrics.requests.cpu', 'Kubernetes quantity'],
  ['kubernetes mixin throttling ratio in percent', { ...base, mixins: [stackHealth(), kubernetes({ throttlingRatio: 25 })] }, 'mixins[1].throttlingRatio', 'must be above 0 and below 1, got 25'],
  ['kubernetes mixin fractional restarts', { ...base, mixins: [kubernetes({ crashLoopRestarts: 2.5 })] }, 'mixins[0].crashLoopRestarts', 'whole number'],
  ['kubernetes mixin zero restarts', { ...base, mixins: [kubernetes({ crashLoopRestarts: 0 })] }, 'mixins[0].crashLoopRestarts', 'at least 1'],
  ['kubernetes mixin fill horizon too long', { ...base, mixins: [kubernetes({ volumeFullWithin: '90d' })] }, 'mixins[0].volumeFullWithin', 'at most 30d'],
  ['kubernetes mixin trend window too short', { ...base, mixins: [kubernetes({ volumeTrendWindow: '5m' })] }, 'mixins[0].volumeTrendWindow', 'at least 1h'],
  ['kubernetes mixin trend window not a duration', { ...base, mixins: [kubernetes({ volumeTrendWindow: 'a day' })] }, 'mixins[0].volumeTrendWindow', 'Prometheus duration'],
  ['kubernetes mixin listed on a service', withMixins(http(), kubernetes()), 'services[0].mixins[1]', 'is a stack mixin'],
  ['API server CIDR that is an address', { ...base, kubernetes: { apiServerCidrs: ['10.0.0.1'] } }, 'kubernetes.apiServerCidrs[0]', 'IPv4 or IPv6 CIDR'],
  ['API server CIDR with a prefix too long', { ...base, kubernetes: { apiServerCidrs: ['fd00::/129'] } }, 'kubernetes.apiServerCidrs[0]', 'got "fd00::/129"'],
  ['API server CIDR of every address', { ...base, kubernetes: { apiServerCidrs: ['10.0.0.0/16', '::/0'] } }, 'kubernetes.apiServerCidrs[1]', 'must not be every address'],
  ['no API server CIDR', { ...base, kubernetes: { apiServerCidrs: [] } }, 'kubernetes.apiServerCidrs', 'at least one CIDR'],
  ['API server CIDRs as one string', { ...base, kubernetes: { apiServerCidrs: '10.0.0.0/8' } }, 'kubernetes.apiServerCidrs', 'list of CIDRs'],
  ['DNS namespace not a DNS label', { ...base, kubernetes: { dns: { namespace: 'Kube System' } } }, 'kubernetes.dns.namespace', 'DNS-1123'],
  ['DNS pod label value with a space', { ...base, kubernetes: { dns: { podLabel: { value: 'kube dns' } } } }, 'kubernetes.dns.podLabel.value', 'Kubernetes label value'],
  ['DNS pod label key with a space', { ...base, kubernetes: { dns: { podLabel: { name: 'k8s app' } } } }, 'kubernetes.dns.podLabel.name', 'Kubernetes label key'],
  ['priority class above the user range', { ...base, kubernetes: { priorityClass: { name: 'observability', value: 2_000_000_000 } } }, 'kubernetes.priorityClass.value', 'from -2147483648 to 1000000000'],
  ['priority class named like a system class', { ...base, kubernetes: { priorityClass: { name: 'system-cluster-critical' } } }, 'kubernetes.priorityClass.name', 'reserved'],
  ['priority class without a name', { ...base, kubernetes: { priorityClass: { value: 1000 } } }, 'kubernetes.priorityClass.name', 'is required'],
  ['unknown kubernetes mode', { ...base, kubernetes: { mode: 'helm' } }, 'kubernetes.mode', 'must be "plain" (obskit runs Prometheus and Alertmanager) or "operator"'],
  ['health checks in operator mode', { ...base, kubernetes: { mode: 'operator' }, services: [{ name: 'api', port: 8080, healthChecks: [{ path: '/healthz' }] }] }, 'services[0].healthChecks', 'cannot be used with kubernetes.mode "operator" yet'],
  ['misspelt kubernetes field', { ...base, kubernetes: { apiServerCIDRs: ['10.0.0.0/8'] } }, 'kubernetes.apiServerCIDRs', 'unknown field'],
  ['unknown profile', { ...base, profile: 'cluster' }, 'profile', 'must be "single" (one Prometheus, one Alertmanager) or "ha"'],
  ['ha with operator mode', { ...base, profile: 'ha', kubernetes: { mode: 'operator' } }, 'profile', 'not available with kubernetes.mode "operator"'],
  ['one Prometheus replica in ha', { ...base, ha: { prometheusReplicas: 1 } }, 'ha.prometheusReplicas', 'from 2 to 100, got 1'],
  ['fractional Alertmanager replicas', { ...base, ha: { alertmanagerReplicas: 2.5 } }, 'ha.alertmanagerReplicas', 'whole number of Alertmanager replicas'],
  ['Alertmanager replicas as a string', { ...base, ha: { alertmanagerReplicas: '3' } }, 'ha.alertmanagerReplicas', 'must be a number of Alertmanager replicas'],
  ['one collector gateway replica at least', { ...base, ha: { collectorGateway: { minReplicas: 1 } } }, 'ha.collectorGateway.minReplicas', 'from 2 to 100, got 1'],
  ['collector gateway maximum below the minimum', { ...base, ha: { collectorGateway: { minReplicas: 4, maxReplicas: 3 } } }, 'ha.collectorGateway.maxReplicas', 'fewer than ha.collectorGateway.minReplicas (4)'],
  ['collector gateway maximum as a string', { ...base, ha: { collectorGateway: { maxReplicas: '10' } } }, 'ha.collectorGateway.maxReplicas', 'must be a number of collector gateway replicas'],
  ['misspelt collector gateway field', { ...base, ha: { collectorGateway: { replicas: 3 } } }, 'ha.collectorGateway.replicas', 'unknown field'],
  ['one Receive replica', { ...base, ha: { thanosReceive: { replicas: 1, replicationFactor: 2 } } }, 'ha.thanosReceive.replicas', 'from 2 to 100, got 1'],
  ['replication factor 1', { ...base, ha: { thanosReceive: { replicationFactor: 1 } } }, 'ha.thanosReceive.replicationFactor', 'from 2 to 100, got 1'],
  ['replication factor above the Receive replicas', { ...base, ha: { thanosReceive: { replicas: 2, replicationFactor: 3 } } }, 'ha.thanosReceive.replicationFactor', 'more than the 2 Receive replicas'],
  ['Receive retention not a duration', { ...base, ha: { thanosReceive: { retention: '2 days' } } }, 'ha.thanosReceive.retention', 'positive Prometheus duration'],
  ['one Loki write replica', { ...base, ha: { loki: { writeReplicas: 1, replicationFactor: 1 } } }, 'ha.loki.writeReplicas', 'whole number of Loki write replicas from 2 to 100, got 1'],
  ['Loki read replicas as a string', { ...base, ha: { loki: { readReplicas: '2' } } }, 'ha.loki.readReplicas', 'must be a number of Loki read replicas'],
  ['fractional Loki backend replicas', { ...base, ha: { loki: { backendReplicas: 2.5 } } }, 'ha.loki.backendReplicas', 'whole number of Loki backend replicas'],
  ['Loki replication factor 0', { ...base, ha: { loki: { replicationFactor: 0 } } }, 'ha.loki.replicationFactor', 'from 1 to 100, got 0'],
  ['Loki replication factor above the write replicas', { ...base, ha: { loki: { writeReplicas: 2, replicationFactor: 3 } } }, 'ha.loki.replicationFactor', 'more than the 2 Loki write replicas'],
  ['misspelt Loki field', { ...base, ha: { loki: { replicas: 3 } } }, 'ha.loki.replicas', 'unknown field'],
  ['Loki write memory requests below limits', { ...base, resources: { 'loki-write': { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } } }, 'resources.loki-write.requests.memory', 'must equal limits.memory'],
  ['Loki backend memory requests below limits', { ...base, resources: { 'loki-backend': { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } } }, 'resources.loki-backend.requests.memory', 'must equal limits.memory'],
  ['Loki read memory limit below requests', { ...base, resources: { 'loki-read': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '512Mi' } } } }, 'resources.loki-read.limits.memory', 'must be at least requests.memory'],
  ['one Tempo distributor replica', { ...base, ha: { tempo: { distributorReplicas: 1 } } }, 'ha.tempo.distributorReplicas', 'whole number of Tempo distributor replicas from 2 to 100, got 1'],
  ['Tempo live-store replicas as a string', { ...base, ha: { tempo: { liveStoreReplicas: '4' } } }, 'ha.tempo.liveStoreReplicas', 'must be a number of Tempo live-store replicas'],
  ['fractional Tempo block-builder replicas', { ...base, ha: { tempo: { blockBuilderReplicas: 1.5 } } }, 'ha.tempo.blockBuilderReplicas', 'whole number of Tempo block-builder replicas'],
  ['block-builders that do not divide the partitions', { ...base, ha: { tempo: { liveStoreReplicas: 4, blockBuilderReplicas: 3 } } }, 'ha.tempo.blockBuilderReplicas', 'does not divide the 4 partitions'],
  ['one Tempo querier replica', { ...base, ha: { tempo: { querierReplicas: 1 } } }, 'ha.tempo.querierReplicas', 'Tempo querier replicas from 2 to 100, got 1'],
  ['one Tempo query-frontend replica', { ...base, ha: { tempo: { queryFrontendReplicas: 1 } } }, 'ha.tempo.queryFrontendReplicas', 'Tempo query-frontend replicas from 2 to 100, got 1'],
  ['Tempo backend-worker replicas of zero', { ...base, ha: { tempo: { backendWorkerReplicas: 0 } } }, 'ha.tempo.backendWorkerReplicas', 'Tempo backend-worker replicas from 2 to 100, got 0'],
  ['Tempo metrics-generator replicas as a string', { ...base, ha: { tempo: { metricsGeneratorReplicas: 'two' } } }, 'ha.tempo.metricsGeneratorReplicas', 'must be a number of Tempo metrics-generator replicas'],
  ['Kafka storage size not a quantity', { ...base, ha: { tempo: { kafkaStorageSize: '20 GB' } } }, 'ha.tempo.kafkaStorageSize', 'quantity'],
  ['misspelt Tempo field', { ...base, ha: { tempo: { ingesterReplicas: 3 } } }, 'ha.tempo.ingesterReplicas', 'unknown field'],
  ['Kafka address with a scheme', { ...base, ha: { tempo: { kafka: { address: 'kafka://broker:9092', topic: 'traces' } } } }, 'ha.tempo.kafka.address', 'host:port'],
  ['Kafka address without a port', { ...base, ha: { tempo: { kafka: { address: 'broker.data.svc', topic: 'traces' } } } }, 'ha.tempo.kafka.address', 'host:port'],
  ['Kafka addresses as a list', { ...base, ha: { tempo: { kafka: { address: ['b1:9092', 'b2:9092'], topic: 'traces' } } } }, 'ha.tempo.kafka.address', 'must be a Kafka bootstrap broker as host:port'],
  ['Kafka topic with a space', { ...base, ha: { tempo: { kafka: { address: 'broker:9092', topic: 'my traces' } } } }, 'ha.tempo.kafka.topic', 'Kafka topic name'],
  ['Kafka without a topic', { ...base, ha: { tempo: { kafka: { address: 'broker:9092' } } } }, 'ha.tempo.kafka.topic', 'is required'],
  ['misspelt Kafka field', { ...base, ha: { tempo: { kafka: { address: 'broker:9092', topic: 'traces', brokers: ['b1:9092'] } } } }, 'ha.tempo.kafka.brokers', 'unknown field'],
  ['Tempo live-store memory requests below limits', { ...base, resources: { 'tempo-live-store': { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } } }, 'resources.tempo-live-store.requests.memory', 'must equal limits.memory'],
  ['Tempo block-builder memory requests below limits', { ...base, resources: { 'tempo-block-builder': { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } } }, 'resources.tempo-block-builder.requests.memory', 'must equal limits.memory'],
  ['Kafka memory requests below limits', { ...base, resources: { kafka: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '2Gi' } } } }, 'resources.kafka.requests.memory', 'must equal limits.memory'],
  ['Tempo querier memory limit below requests', { ...base, resources: { 'tempo-querier': { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '512Mi' } } } }, 'resources.tempo-querier.limits.memory', 'must be at least requests.memory'],
  ['bucket name with capitals', { ...base, ha: { objectStorage: { bucket: 'Metrics', endpoint: 's3.example.com', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: { name: 's3', key: 'secret' } } } }, 'ha.objectStorage.bucket', 'S3 bucket name'],
  ['S3 endpoint with a scheme', { ...base, ha: { objectStorage: { bucket: 'metrics', endpoint: 'https://s3.example.com', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: { name: 's3', key: 'secret' } } } }, 'ha.objectStorage.endpoint', 'without scheme'],
  ['S3 secret key as a literal', { ...base, ha: { objectStorage: { bucket: 'metrics', endpoint: 's3.example.com', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: 'hunter2' } } }, 'ha.objectStorage.secretAccessKey', 'never put the secret value itself in the spec'],
  ['object storage without credentials', { ...base, ha: { objectStorage: { bucket: 'metrics', endpoint: 's3.example.com' } } }, 'ha.objectStorage.accessKeyId', 'is required'],
  ['misspelt object storage field', { ...base, ha: { objectStorage: { bucket: 'metrics', endpoint: 's3.example.com', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: { name: 's3', key: 'secret' }, sse: true } } }, 'ha.objectStorage.sse', 'unknown field'],
  ['external store URL without scheme', { ...base, ha: { externalStore: { remoteWriteUrl: 'mimir:8080/api/v1/push', queryUrl: 'http://mimir:8080/prometheus' } } }, 'ha.externalStore.remoteWriteUrl', 'http(s) URL'],
  ['external store URL with credentials', { ...base, ha: { externalStore: { remoteWriteUrl: 'https://u:p@mimir/api/v1/push', queryUrl: 'http://mimir:8080/prometheus' } } }, 'ha.externalStore.remoteWriteUrl', 'must not carry credentials'],
  ['external store and object storage together', { ...base, ha: { externalStore: { remoteWriteUrl: 'https://mimir/api/v1/push', queryUrl: 'https://mimir/prometheus' }, objectStorage: { bucket: 'metrics', endpoint: 's3.example.com', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: { name: 's3', key: 'secret' } } } }, 'ha.objectStorage', 'give one of them'],
  ['service namespace not a DNS label', { ...base, services: [{ name: 'api', port: 80, namespace: 'Shop_Prod' }] }, 'services[0].namespace', 'got "Shop_Prod"'],
];

describe('spec validation', () => {
  it('accepts the shipped default spec', () => {
    const spec = resolveSpec(stack);
    expect(spec.services.map((s) => s.name)).toEqual(['demo']);
    expect(spec.alerting.defaultReceiver).toBe('null');
    expect(spec.services[0]!.slos).toEqual([
      { name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' },
      { name: 'latency', sli: httpLatency(0.5), objective: 99, period: '30d' },
    ]);
    expect(spec.mixins.map((u) => u.mixin.name)).toEqual(['stack-health', 'logs-traces', 'kubernetes']);
  });

  it('accepts SLOs, mixin config, service routes and overrides that are right', () => {
    const spec = resolveSpec({
      ...withSlos(
        [
          availability,
          { ...latency, period: '28d', sli: httpLatency(0.3), minRequests: 0 },
          { ...availability, name: 'strict', objective: 99.99 },
          { name: 'fast-get', sli: { ...httpLatency(0.3), total: { http_request_method: 'GET' } }, objective: 95, period: '7d' },
          { name: 'no-4xx', sli: { metric: HTTP, good: { http_response_status_code: '[23]..' } }, objective: 90, period: '7d' },
        ],
        [http({ errorRatio: 0.01, buckets: [0.05, 0.1, 0.3, 1, 3] }), nodejs()],
      ),
      alerting: {
        overrides: [
          { alert: 'ServiceLatencyHigh', service: 'api', threshold: 0.25, severity: 'critical', labels: { team: 'api' } },
          { alert: 'ErrorBudgetBurnSlow', slo: 'strict', disabled: true },
          { alert: 'PrometheusNotificationsFailing', threshold: 0.05, for: '15m' },
        ],
      },
    });
    expect(spec.alerting.overrides).toHaveLength(3);
  });

  it('covers at least 30 distinct bad specs', () => {
    expect(new Set(badSpecs.map(([what]) => what)).size).toBe(badSpecs.length);
    expect(badSpecs.length).toBeGreaterThanOrEqual(30);
  });

  it.each(badSpecs)('rejects %s', (_what, input, path, fragment) => {
    const problems = problemsOf(input);
    const atPath = problems.filter((p) => p.path === path);
    expect(atPath.map((p) => p.message).join(' | ')).toContain(fragment);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      namespace: '',
      services: [
        { name: 'api', port: 70000 },
        { name: 'web', port: 80 },
        { name: 'web', port: 81 },
      ],
      retention: { logs: '36h' },
      alerting: { routes: [{ severity: 'urgent', receiver: 'nobody' }] },
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'namespace',
        'services[0].port',
        'services[2].name',
        'retention.logs',
        'alerting.routes[0].severity',
      ]),
    );
  });

  it('formats the error as "path: message" lines', () => {
    expect(() => resolveSpec({ ...base, services: [{ name: 'a', port: 1 }, { name: 'b', port: 70000 }] })).toThrow(
      'services[1].port: must be 1–65535, got 70000',
    );
  });

  it('fills defaults without losing what the spec sets', () => {
    const spec = resolveSpec({ ...base, retention: { logs: '14d' }, storage: { sizes: { loki: '100Gi' } } });
    expect(spec.retention).toEqual({ metrics: '30d', metricsSize: '40GB', logs: '14d', traces: '3d' });
    expect(spec.storage.sizes.loki).toBe('100Gi');
    expect(spec.storage.sizes.prometheus).toBe('50Gi');
  });
});
