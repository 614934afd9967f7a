import { join } from 'node:path';
import { DEFAULT_PATHS, DEFAULT_PORTS, renderContext, type Ports, type RenderContext } from '../../../src/config/context';
import { ALL_COMPONENTS, COMPONENTS, resolveSpec, type Component, type StackSpec, type StackSpecInput } from '../../../src/spec';
import { buildArtifacts } from '../../../src/synth/artifacts';
import { demoSpecInput as stack } from '../../fixtures/demo-spec';

export const REPO = join(__dirname, '..', '..', '..');

/**
 * The stack the live test runs: the demo fixture spec (test/fixtures/demo-spec.ts, the demo as src/stack.ts ships it;
 * tests never read src/stack.ts) rendered with a context that puts every host on
 * 127.0.0.1, every port on a free loopback port and every path in a temporary folder, plus a spec variant made the
 * way a user would make one (fields of StackSpecInput, no YAML edited):
 *
 * - `services[demo].host/port`: the demo runs on this machine at a free port, not as the compose service `demo`;
 * - `scrapeInterval`/`evaluationInterval` 1s, so rates and recording rules have samples within seconds;
 * - three webhook receivers, `pager` for critical, `chat` for warning and `watchdog` for the Watchdog, reading their
 *   URLs from files under the Alertmanager secrets folder (how a user wires a secret), and short group timings;
 * - shorter `for` through `alerting.overrides`: ServiceErrorRatioHigh 15s (default 10m), ErrorBudgetBurnFast of the
 *   availability SLO 15s (default: none) and TargetDown 10s (default 5m), so the suite stays within minutes.
 */

export const DEMO = 'demo';

/** The webhook receivers: name, the severity routed to it, the file its URL is read from. */
export const WEBHOOKS = {
  pager: { severity: 'critical', secret: { name: 'live-webhooks', key: 'pager-url' } },
  chat: { severity: 'warning', secret: { name: 'live-webhooks', key: 'chat-url' } },
  watchdog: { severity: undefined, secret: { name: 'live-webhooks', key: 'watchdog-url' } },
} as const;
export type WebhookName = keyof typeof WEBHOOKS;

export const OVERRIDES = [
  { alert: 'ServiceErrorRatioHigh', service: DEMO, for: '15s' },
  { alert: 'ErrorBudgetBurnFast', service: DEMO, slo: 'availability', for: '15s' },
  { alert: 'TargetDown', for: '10s' },
] as const;

/** The default spec with the demo scraped at 127.0.0.1:`demoPort` (an address, like the context's). */
export function loopbackSpecInput(demoPort: number): StackSpecInput {
  return { ...stack, services: stack.services.map((s) => (s.name === DEMO ? { ...s, host: '127.0.0.1', port: demoPort } : s)) };
}

/** The spec the live stack runs: the loopback spec with short intervals, the webhook receivers and overrides. */
export function liveSpecInput(demoPort: number): StackSpecInput {
  const base = loopbackSpecInput(demoPort);
  return {
    ...base,
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    alerting: {
      ...base.alerting,
      receivers: (Object.keys(WEBHOOKS) as WebhookName[]).map((name) => ({ name, type: 'webhook' as const, url: WEBHOOKS[name].secret })),
      routes: [
        { severity: 'critical', receiver: 'pager' },
        { severity: 'warning', receiver: 'chat' },
      ],
      watchdogReceiver: 'watchdog',
      groupWait: '1s',
      groupInterval: '2s',
      repeatInterval: '1h',
      overrides: OVERRIDES.map((o) => ({ ...o })),
    },
  };
}

export const resolve = (input: StackSpecInput): StackSpec => resolveSpec(input);

/** Free ports for every component port the context names (the cluster port is not used: gossip is off), but Thanos's. */
export function livePorts(free: () => number): Ports {
  const pick = <T extends Record<string, number>>(ports: T): { [K in keyof T]: number } =>
    Object.fromEntries(Object.keys(ports).map((k) => [k, free()])) as { [K in keyof T]: number };
  return {
    collector: pick(DEFAULT_PORTS.collector),
    prometheus: pick(DEFAULT_PORTS.prometheus),
    alertmanager: pick(DEFAULT_PORTS.alertmanager),
    grafana: pick(DEFAULT_PORTS.grafana),
    loki: pick(DEFAULT_PORTS.loki),
    tempo: pick(DEFAULT_PORTS.tempo),
    blackbox: pick(DEFAULT_PORTS.blackbox),
    // The ha profile's parts are not in these stacks (test/live/scale.test.ts gives each Thanos process its own ports).
    'thanos-receive': DEFAULT_PORTS['thanos-receive'],
    'thanos-query': DEFAULT_PORTS['thanos-query'],
    'loki-write': DEFAULT_PORTS['loki-write'],
    'loki-read': DEFAULT_PORTS['loki-read'],
    'loki-backend': DEFAULT_PORTS['loki-backend'],
    'tempo-distributor': DEFAULT_PORTS['tempo-distributor'],
    'tempo-live-store': DEFAULT_PORTS['tempo-live-store'],
    'tempo-block-builder': DEFAULT_PORTS['tempo-block-builder'],
    'tempo-querier': DEFAULT_PORTS['tempo-querier'],
    'tempo-query-frontend': DEFAULT_PORTS['tempo-query-frontend'],
    'tempo-backend-scheduler': DEFAULT_PORTS['tempo-backend-scheduler'],
    'tempo-backend-worker': DEFAULT_PORTS['tempo-backend-worker'],
    'tempo-metrics-generator': DEFAULT_PORTS['tempo-metrics-generator'],
    kafka: DEFAULT_PORTS.kafka,
    kubeStateMetrics: pick(DEFAULT_PORTS.kubeStateMetrics),
  };
}

export function liveContext(ports: Ports, dir: string): RenderContext {
  const hosts = Object.fromEntries(ALL_COMPONENTS.map((c) => [c, '127.0.0.1'])) as Record<Component, string>;
  return renderContext('compose', {
    hosts,
    ports,
    listenHost: '127.0.0.1',
    paths: {
      prometheusRules: join(dir, 'rules'),
      prometheusScrape: join(dir, 'scrape'),
      alertmanagerSecrets: join(dir, 'secrets'),
      collectorSecrets: join(dir, 'collector-secrets'),
      grafanaDashboards: join(dir, 'dashboards'),
      lokiData: join(dir, 'loki'),
      tempoData: join(dir, 'tempo'),
      logFiles: join(dir, 'log-files'),
      podLogs: join(dir, 'pod-logs'),
      serviceAccount: join(dir, 'serviceaccount'),
    },
  });
}

let synthesized: ReadonlyMap<string, string> | undefined;

/**
 * A generated file as synth writes it for the demo fixture spec (for src/stack.ts, `npm run synth -- --check`
 * proves the committed files are exactly synth's output, so this is what is committed for that spec).
 */
export function committed(relative: string): string {
  synthesized ??= new Map(buildArtifacts(resolveSpec(stack)).map((a) => [a.path, String(a.content)]));
  const content = synthesized.get(relative);
  if (content === undefined) throw new Error(`synth writes no ${relative} for the demo fixture spec`);
  return content;
}

/**
 * The textual substitutions that turn what the compose context renders into what the live context renders, for a
 * file of `component` (whose listen addresses are substituted too): every `host:port` of every component's named
 * ports, every path, every observed service's scrape address, the collector's own-metrics reader (`host:`,
 * `port:`) and Loki's server block (`http_listen_address:`, `http_listen_port:`, the same for grpc). Nothing else
 * may differ; `substitute` applies them in one pass, so one replacement never feeds another.
 */
export function substitutions(component: Component | undefined, from: { ctx: RenderContext; spec: StackSpec }, to: { ctx: RenderContext; spec: StackSpec }): Map<string, string> {
  const pairs = new Map<string, string>();
  const add = (a: string, b: string) => {
    const existing = pairs.get(a);
    if (existing !== undefined && existing !== b) throw new Error(`ambiguous substitution: ${a} → ${existing} or ${b}`);
    pairs.set(a, b);
  };
  for (const c of COMPONENTS) {
    const fromPorts = from.ctx.ports[c] as Record<string, number>;
    const toPorts = to.ctx.ports[c] as Record<string, number>;
    for (const key of Object.keys(fromPorts)) add(`${from.ctx.hosts[c]}:${fromPorts[key]}`, `${to.ctx.hosts[c]}:${toPorts[key]}`);
  }
  if (component) {
    const fromPorts = from.ctx.ports[component] as Record<string, number>;
    const toPorts = to.ctx.ports[component] as Record<string, number>;
    for (const key of Object.keys(fromPorts)) add(`${from.ctx.listenHost}:${fromPorts[key]}`, `${to.ctx.listenHost}:${toPorts[key]}`);
  }
  if (component === 'loki') {
    // Loki names its listen address and ports in separate keys.
    for (const server of ['http', 'grpc'] as const) {
      add(`${server}_listen_address: ${from.ctx.listenHost}`, `${server}_listen_address: ${to.ctx.listenHost}`);
      add(`${server}_listen_port: ${from.ctx.ports.loki[server]}`, `${server}_listen_port: ${to.ctx.ports.loki[server]}`);
    }
  }
  if (component === 'collector') {
    add(`host: ${from.ctx.listenHost}`, `host: ${to.ctx.listenHost}`);
    add(`port: ${from.ctx.ports.collector.metrics}`, `port: ${to.ctx.ports.collector.metrics}`);
  }
  for (const key of Object.keys(DEFAULT_PATHS) as (keyof typeof DEFAULT_PATHS)[]) add(from.ctx.paths[key], to.ctx.paths[key]);
  from.spec.services.forEach((service, i) => {
    const other = to.spec.services[i]!;
    add(`${service.host ?? service.name}:${service.port}`, `${other.host ?? other.name}:${other.port}`);
  });
  return pairs;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A key as a pattern. A path matches only as a whole path (or the head of a longer one), so the data path `/loki`
 * is not found inside `http://loki:3100` or `otlp_http/loki`.
 */
const pattern = (key: string) => (key.startsWith('/') ? `(?<![\\w/.:-])${escape(key)}(?![\\w.-])` : escape(key));

/** Applies the substitutions in one pass (longest match first); returns the text and how many were made. */
export function substitute(text: string, pairs: ReadonlyMap<string, string>): { text: string; count: number } {
  const keys = [...pairs.keys()].sort((a, b) => b.length - a.length);
  let count = 0;
  const out = text.replace(new RegExp(keys.map(pattern).join('|'), 'g'), (m) => {
    count += 1;
    return pairs.get(m)!;
  });
  return { text: out, count };
}

/** Paths (dot-separated) at which two plain values differ. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [path];
}
