import { burnRateAlertNames } from '../alerts/slo-policy';
import { routeReceivers, SEVERITIES, type ReceiverSpec, type SecretRef, type Severity, type SeverityRoute, type StackSpec } from '../spec';
import { listenAddress, type RenderContext } from './context';
import { haAddresses, isHa } from './ha';

/**
 * alertmanager.yml and command-line flags for the pinned Alertmanager (v0.34).
 *
 * Routing: the Watchdog first (to its own receiver, repeated every minute), then one route per service that sets
 * its own `routes` (its severities to its receivers, the others as `alerting.routes` say), then a route per
 * severity and receiver (a severity routed to several receivers has one route each, chained by `continue: true`);
 * anything else goes to the default receiver. Notifications are grouped by `alerting.groupBy`
 * (alertname, service_name, severity by default).
 *
 * Inhibition: a more severe alert mutes less severe ones of the same name and service; ServiceDown mutes the
 * TargetDown of that service; the burn-rate page (ErrorBudgetBurnFast) mutes the ticket (ErrorBudgetBurnSlow) of the
 * same service and SLO.
 *
 * Secrets are never written here: each integration reads its secret from a file under
 * `ctx.paths.alertmanagerSecrets/<secret name>/<key>` (a mounted Secret in Kubernetes, compose/secrets in compose).
 */

/** The receiver with no integrations: alerts routed to it are dropped. Always defined. */
export const NULL_RECEIVER = 'null';

/** How often the Watchdog is re-sent, so a dead man's switch on the other end keeps hearing from us. */
const WATCHDOG_REPEAT = '1m';

export function secretFile(ctx: RenderContext, ref: SecretRef): string {
  return `${ctx.paths.alertmanagerSecrets}/${ref.name}/${ref.key}`;
}

/** Every secret the receivers reference, once each, in a stable order. */
export function receiverSecrets(receivers: readonly ReceiverSpec[]): SecretRef[] {
  const refs = new Map<string, SecretRef>();
  for (const receiver of receivers) {
    const candidates = [
      'routingKey' in receiver ? receiver.routingKey : undefined,
      'apiUrl' in receiver ? receiver.apiUrl : undefined,
      'authPassword' in receiver ? receiver.authPassword : undefined,
      'url' in receiver ? receiver.url : undefined,
    ];
    for (const ref of candidates) if (ref) refs.set(secretRefId(ref), ref);
  }
  return [...refs.values()].sort((a, b) => secretRefId(a).localeCompare(secretRefId(b)));
}

/** A name for a secret reference made of [a-zA-Z0-9_-] only (compose uses it as the secret's id). */
export function secretRefId(ref: SecretRef): string {
  return `${ref.name}-${ref.key}`.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function integration(receiver: ReceiverSpec, ctx: RenderContext): Record<string, unknown> {
  const sendResolved = receiver.sendResolved === undefined ? {} : { send_resolved: receiver.sendResolved };
  switch (receiver.type) {
    case 'pagerduty':
      return { pagerduty_configs: [{ ...sendResolved, routing_key_file: secretFile(ctx, receiver.routingKey) }] };
    case 'slack':
      return {
        slack_configs: [{ ...sendResolved, api_url_file: secretFile(ctx, receiver.apiUrl), channel: receiver.channel }],
      };
    case 'email':
      return {
        email_configs: [
          {
            ...sendResolved,
            to: receiver.to,
            from: receiver.from,
            smarthost: receiver.smarthost,
            ...(receiver.authUsername === undefined ? {} : { auth_username: receiver.authUsername }),
            ...(receiver.authPassword === undefined
              ? {}
              : { auth_password_file: secretFile(ctx, receiver.authPassword) }),
            ...(receiver.requireTls === undefined ? {} : { require_tls: receiver.requireTls }),
          },
        ],
      };
    case 'webhook':
      return { webhook_configs: [{ ...sendResolved, url_file: secretFile(ctx, receiver.url) }] };
  }
}

const severityMatcher = (severity: Severity) => `severity="${severity}"`;

/**
 * The routes of one severity route: one per receiver, all but the last with `continue: true`, so every receiver
 * named gets the alert (Alertmanager stops at the first matching route otherwise).
 */
function severityRoutes(route: SeverityRoute): Record<string, unknown>[] {
  const receivers = routeReceivers(route);
  return receivers.map((receiver, i) => ({
    receiver,
    matchers: [severityMatcher(route.severity)],
    ...(i < receivers.length - 1 ? { continue: true } : {}),
  }));
}

/** A child route per service that routes some severities itself; the rest follow the global severity routes. */
function serviceRoutes(spec: StackSpec): Record<string, unknown>[] {
  const global = new Map(spec.alerting.routes.map((r) => [r.severity, r]));
  return spec.services
    .filter((service) => (service.routes ?? []).length > 0)
    .map((service) => {
      const own = new Map((service.routes ?? []).map((r) => [r.severity, r]));
      const routes = SEVERITIES.flatMap((severity) => {
        const route = own.get(severity) ?? global.get(severity);
        return route === undefined ? [] : severityRoutes(route);
      });
      return { receiver: spec.alerting.defaultReceiver, matchers: [`service_name="${service.name}"`], routes };
    });
}

/** Each burn-rate alert (one per tier, page first) mutes the slower tiers' alerts for the same service and SLO. */
function burnRateInhibitions(): Record<string, unknown>[] {
  const tiers = burnRateAlertNames();
  return tiers.flatMap((source, i) => {
    const slower = tiers.slice(i + 1);
    if (slower.length === 0) return [];
    return [
      {
        source_matchers: [`alertname="${source}"`],
        target_matchers: [slower.length === 1 ? `alertname="${slower[0]}"` : `alertname=~"${slower.join('|')}"`],
        equal: ['service_name', 'slo'],
      },
    ];
  });
}

export function renderAlertmanagerConfig(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const { alerting } = spec;
  return {
    route: {
      receiver: alerting.defaultReceiver,
      group_by: [...alerting.groupBy],
      group_wait: alerting.groupWait,
      group_interval: alerting.groupInterval,
      repeat_interval: alerting.repeatInterval,
      routes: [
        {
          receiver: alerting.watchdogReceiver,
          matchers: ['alertname="Watchdog"'],
          group_wait: '0s',
          group_interval: WATCHDOG_REPEAT,
          repeat_interval: WATCHDOG_REPEAT,
        },
        ...serviceRoutes(spec),
        ...alerting.routes.flatMap(severityRoutes),
      ],
    },
    inhibit_rules: [
      // A more severe alert mutes less severe ones with the same name for the same service. The source must have
      // a service_name: `equal` treats a label missing on both sides as equal, so without the guard a
      // stack-wide critical alert would mute the warnings of that name for every service.
      {
        source_matchers: ['severity="critical"', 'service_name!=""'],
        target_matchers: ['severity=~"warning|info"'],
        equal: ['alertname', 'service_name'],
      },
      {
        source_matchers: ['severity="warning"', 'service_name!=""'],
        target_matchers: ['severity="info"'],
        equal: ['alertname', 'service_name'],
      },
      // A service with no target up also has its targets down: page once, for the service.
      {
        source_matchers: ['alertname="ServiceDown"', 'service_name!=""'],
        target_matchers: ['alertname="TargetDown"'],
        equal: ['service_name'],
      },
      ...burnRateInhibitions(),
    ],
    receivers: [
      { name: NULL_RECEIVER },
      ...alerting.receivers.map((receiver) => ({ name: receiver.name, ...integration(receiver, ctx) })),
    ],
  };
}

/** Command-line flags for `alertmanager`. */
export function alertmanagerArgs(
  spec: StackSpec,
  ctx: RenderContext,
  opts: { configFile: string; dataDir: string },
): string[] {
  const common = [
    `--config.file=${opts.configFile}`,
    `--storage.path=${opts.dataDir}`,
    `--web.listen-address=${listenAddress(ctx, ctx.ports.alertmanager.http)}`,
  ];
  // One replica: no gossip cluster (an empty address disables it), so no peer discovery to fail.
  if (!isHa(spec)) return [...common, '--cluster.listen-address='];
  // `ha`: a gossip cluster of every replica, sharing silences and the notification log, so one alert sent to all of
  // them is notified once. The advertised address is the pod's own IP (bracketed: IPv4 or IPv6).
  const ha = haAddresses(spec, ctx);
  return [
    ...common,
    `--cluster.listen-address=${listenAddress(ctx, ctx.ports.alertmanager.cluster)}`,
    `--cluster.advertise-address=[${ha.alertmanagerAdvertiseHost}]:${ctx.ports.alertmanager.cluster}`,
    ...ha.alertmanagerPeers.map((peer) => `--cluster.peer=${peer}`),
  ];
}
