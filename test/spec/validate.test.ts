import { resolveSpec, SpecError, type SpecProblem } from '../../src/spec';
import { stack } from '../../src/stack';

const base = { namespace: 'observability', services: [{ name: 'api', port: 8080 }] };
const secret = { name: 'alerting', key: 'token' };
const slack = { name: 'chat', type: 'slack', apiUrl: secret, channel: '#alerts' };

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
];

describe('spec validation', () => {
  it('accepts the shipped default spec', () => {
    const spec = resolveSpec(stack);
    expect(spec.services.map((s) => s.name)).toEqual(['demo']);
    expect(spec.alerting.defaultReceiver).toBe('null');
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
    expect(spec.retention).toEqual({ metrics: '15d', metricsSize: '40GB', logs: '14d', traces: '3d' });
    expect(spec.storage.sizes.loki).toBe('100Gi');
    expect(spec.storage.sizes.prometheus).toBe('50Gi');
  });
});
