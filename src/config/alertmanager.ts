import type { ReceiverSpec, SecretRef, StackSpec } from '../spec';
import type { RenderContext } from './context';

/**
 * alertmanager.yml and command-line flags for the pinned Alertmanager (v0.34).
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
        ...alerting.routes.map((route) => ({ receiver: route.receiver, matchers: [`severity="${route.severity}"`] })),
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
    ],
    receivers: [
      { name: NULL_RECEIVER },
      ...alerting.receivers.map((receiver) => ({ name: receiver.name, ...integration(receiver, ctx) })),
    ],
  };
}

/** Command-line flags for `alertmanager`. */
export function alertmanagerArgs(
  _spec: StackSpec,
  ctx: RenderContext,
  opts: { configFile: string; dataDir: string },
): string[] {
  return [
    `--config.file=${opts.configFile}`,
    `--storage.path=${opts.dataDir}`,
    `--web.listen-address=0.0.0.0:${ctx.ports.alertmanager.http}`,
    // One replica: no gossip cluster (an empty address disables it), so no peer discovery to fail.
    '--cluster.listen-address=',
  ];
}
