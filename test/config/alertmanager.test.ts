import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { alertmanagerArgs, renderAlertmanagerConfig } from '../../src/config/alertmanager';
import { DEFAULT_PATHS, renderContext, type RenderContext } from '../../src/config/context';
import { toYaml } from '../../src/output/yaml';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { keyPaths } from '../support/reference-keys';
import { describeWithTools, runTool } from '../support/tools';
import { fullSpec, fullSpecInput, fullSpecSecretFiles } from '../fixtures/full-spec';
import { sloSpec, sloSpecSecretFiles } from '../alerts/fixtures';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = resolveSpec(stack);
const ctx = renderContext('compose');

/** Every key anywhere in a rendered object, as `path.to.key` (list items as `[]`). */
const allKeys = (value: unknown): string[] => keyPaths(value).map(({ path }) => path);

describe('renderAlertmanagerConfig', () => {
  const config = renderAlertmanagerConfig(spec, ctx) as Obj;
  const full = renderAlertmanagerConfig(fullSpec, ctx) as Obj;

  it('routes everything to the default receiver, grouped and timed as the spec says', () => {
    expect(config.route).toMatchObject({
      receiver: 'null',
      group_by: ['alertname', 'service_name', 'severity'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    });
  });

  it('routes the Watchdog first, to the watchdog receiver, repeating often', () => {
    expect(full.route.routes[0]).toEqual({
      receiver: 'deadmans-switch',
      matchers: ['alertname="Watchdog"'],
      group_wait: '0s',
      group_interval: '1m',
      repeat_interval: '1m',
    });
  });

  it('routes each severity to its receiver with matchers, never the deprecated match/match_re', () => {
    expect(full.route.routes.slice(1)).toEqual([
      { receiver: 'oncall', matchers: ['severity="critical"'] },
      { receiver: 'chat', matchers: ['severity="warning"'] },
      { receiver: 'mail', matchers: ['severity="info"'] },
    ]);
    const deprecated = allKeys(full).filter((p) => /(^|\.)(match|match_re|source_match|source_match_re|target_match|target_match_re)$/.test(p));
    expect(deprecated).toEqual([]);
  });

  it('lets a critical alert mute warning and info alerts of the same name and service, and only with a service', () => {
    expect(config.inhibit_rules.slice(0, 2)).toEqual([
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
    ]);
  });

  it('lets ServiceDown mute the TargetDown alerts of its service', () => {
    expect(config.inhibit_rules[2]).toEqual({
      source_matchers: ['alertname="ServiceDown"', 'service_name!=""'],
      target_matchers: ['alertname="TargetDown"'],
      equal: ['service_name'],
    });
  });

  it('lets the burn-rate page mute the ticket of the same service and SLO', () => {
    expect(config.inhibit_rules.slice(3)).toEqual([
      {
        source_matchers: ['alertname="ErrorBudgetBurnFast"'],
        target_matchers: ['alertname="ErrorBudgetBurnSlow"'],
        equal: ['service_name', 'slo'],
      },
    ]);
  });

  it('routes a service that sets its own routes through a child route, other severities as the global routes say', () => {
    const withService = renderAlertmanagerConfig(sloSpec, ctx) as Obj;
    expect(withService.route.routes[1]).toEqual({
      receiver: 'null',
      matchers: ['service_name="checkout"'],
      routes: [
        { receiver: 'checkout-pager', matchers: ['severity="critical"'] },
        { receiver: 'chat', matchers: ['severity="warning"'] },
        { receiver: 'mail', matchers: ['severity="info"'] },
      ],
    });
    expect(withService.route.routes.slice(2)).toEqual(full.route.routes.slice(1));
    expect(config.route.routes).toHaveLength(1);
  });

  it('sends a severity routed to several receivers to each of them: one route per receiver, chained by continue', () => {
    const both = resolveSpec({
      ...fullSpecInput,
      alerting: { ...fullSpecInput.alerting, routes: [{ severity: 'critical', receiver: ['oncall', 'chat'] }, { severity: 'warning', receiver: 'chat' }] },
    });
    const routes = (renderAlertmanagerConfig(both, ctx) as Obj).route.routes as Obj[];
    expect(routes.slice(1)).toEqual([
      { receiver: 'oncall', matchers: ['severity="critical"'], continue: true },
      { receiver: 'chat', matchers: ['severity="critical"'] },
      { receiver: 'chat', matchers: ['severity="warning"'] },
    ]);
  });

  it('always defines the null receiver, with no integrations', () => {
    expect(config.receivers).toEqual([{ name: 'null' }]);
    expect(full.receivers[0]).toEqual({ name: 'null' });
  });

  it('renders each receiver kind, reading every secret from a file under the secrets path', () => {
    expect(full.receivers.slice(1)).toEqual([
      {
        name: 'oncall',
        pagerduty_configs: [{ send_resolved: true, routing_key_file: '/etc/alertmanager/secrets/pagerduty/routing-key' }],
      },
      {
        name: 'chat',
        slack_configs: [
          { send_resolved: true, api_url_file: '/etc/alertmanager/secrets/slack/webhook-url', channel: '#alerts' },
        ],
      },
      {
        name: 'mail',
        email_configs: [
          {
            to: 'team@example.com',
            from: 'alertmanager@example.com',
            smarthost: 'smtp.example.com:587',
            auth_username: 'alertmanager',
            auth_password_file: '/etc/alertmanager/secrets/smtp/password',
            require_tls: true,
          },
        ],
      },
      { name: 'deadmans-switch', webhook_configs: [{ url_file: '/etc/alertmanager/secrets/healthchecks/ping-url' }] },
    ]);
  });

  it('never carries a secret inline', () => {
    const inline = allKeys(full).filter((p) =>
      /(^|\.)(routing_key|service_key|api_url|url|auth_password|auth_secret|slack_api_url|smtp_auth_password)$/.test(p),
    );
    expect(inline).toEqual([]);
    const files = allKeys(full).filter((p) => p.endsWith('_file'));
    expect(files).toHaveLength(fullSpecSecretFiles.length);
  });

  it('takes the secrets folder from the context', () => {
    const custom = renderContext('kubernetes', { paths: { ...DEFAULT_PATHS, alertmanagerSecrets: '/run/secrets/am' } });
    const rendered = renderAlertmanagerConfig(fullSpec, custom) as Obj;
    expect(rendered.receivers[1].pagerduty_configs[0].routing_key_file).toBe('/run/secrets/am/pagerduty/routing-key');
  });

  it('is deterministic', () => {
    expect(toYaml(renderAlertmanagerConfig(fullSpec, ctx))).toBe(toYaml(renderAlertmanagerConfig(fullSpec, ctx)));
  });
});

describe('alertmanagerArgs', () => {
  it('names the config, data dir and listen port and runs without a gossip cluster', () => {
    expect(alertmanagerArgs(spec, ctx, { configFile: '/etc/alertmanager/alertmanager.yml', dataDir: '/alertmanager' })).toEqual([
      '--config.file=/etc/alertmanager/alertmanager.yml',
      '--storage.path=/alertmanager',
      '--web.listen-address=0.0.0.0:9093',
      '--cluster.listen-address=',
    ]);
  });

  it('listens where the context says', () => {
    const loopback = renderContext('compose', { listenHost: '127.0.0.1' });
    expect(alertmanagerArgs(spec, loopback, { configFile: 'a.yml', dataDir: 'd' })).toContain('--web.listen-address=127.0.0.1:9093');
  });
});

/** Writes alertmanager.yml, and a dummy file for every secret it references, under a fresh folder. */
function layout(s: StackSpec, secrets: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-alertmanager-'));
  const c: RenderContext = renderContext('compose', { paths: { ...DEFAULT_PATHS, alertmanagerSecrets: join(dir, 'secrets') } });
  for (const secret of secrets) {
    const file = join(c.paths.alertmanagerSecrets, secret);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secret.includes('url') ? 'https://hooks.example.com/xyz\n' : 'not-a-real-secret\n');
  }
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, toYaml(renderAlertmanagerConfig(s, c)));
  return configFile;
}

describeWithTools('alertmanager.yml against the pinned amtool', ['amtool'], ({ amtool }) => {

  it('passes amtool check-config with the default spec', () => {
    expect(runTool(amtool, ['check-config', layout(spec, [])])).toMatch(/SUCCESS/);
  });

  it('passes amtool check-config with every receiver kind', () => {
    const out = runTool(amtool, ['check-config', layout(fullSpec, fullSpecSecretFiles)]);
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/5 receivers/);
  });

  it('fails amtool check-config on a key Alertmanager does not know (so the check can fail)', () => {
    const configFile = layout(spec, []);
    writeFileSync(configFile, `${toYaml(renderAlertmanagerConfig(spec, ctx))}\nbogus_key: 1\n`);
    expect(() => runTool(amtool, ['check-config', configFile])).toThrow(/bogus_key/);
  });

  describe('routing', () => {
    const configFile = layout(fullSpec, fullSpecSecretFiles);
    const route = (...labels: string[]) =>
      runTool(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, ...labels]).trim();

    it.each([
      [['severity=critical', 'alertname=TargetDown'], 'oncall'],
      [['severity=warning', 'alertname=TargetDown'], 'chat'],
      [['severity=info', 'alertname=Something'], 'mail'],
      [['alertname=Watchdog', 'severity=none'], 'deadmans-switch'],
      [['alertname=Other', 'severity=none'], 'null'],
    ])('%j → %s', (labels, receiver) => {
      expect(route(...labels)).toBe(receiver);
    });

    it('sends a critical Watchdog to the watchdog receiver, not the pager', () => {
      expect(route('alertname=Watchdog', 'severity=critical')).toBe('deadmans-switch');
    });
  });

  describe('routing a severity to several receivers', () => {
    const both = resolveSpec({
      ...fullSpecInput,
      services: [...fullSpecInput.services, { name: 'billing', port: 8090, routes: [{ severity: 'warning', receiver: ['chat', 'mail'] }] }],
      alerting: { ...fullSpecInput.alerting, routes: [{ severity: 'critical', receiver: ['oncall', 'chat'] }, { severity: 'warning', receiver: 'chat' }] },
    });
    const configFile = layout(both, fullSpecSecretFiles);
    const route = (...labels: string[]) =>
      runTool(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, ...labels]).trim();

    it.each([
      [['severity=critical', 'alertname=TargetDown'], 'oncall,chat'],
      [['severity=warning', 'alertname=TargetDown'], 'chat'],
      [['severity=critical', 'alertname=ServiceDown', 'service_name=billing'], 'oncall,chat'],
      [['severity=warning', 'alertname=ServiceErrorRatioHigh', 'service_name=billing'], 'chat,mail'],
      [['alertname=Watchdog', 'severity=critical'], 'deadmans-switch'],
    ])('%j → %s', (labels, receiver) => {
      expect(route(...labels)).toBe(receiver);
    });
  });

  describe('routing with SLOs and a service that routes its own alerts', () => {
    const configFile = layout(sloSpec, sloSpecSecretFiles);
    const route = (...labels: string[]) =>
      runTool(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, ...labels]).trim();

    it('passes amtool check-config', () => {
      expect(runTool(amtool, ['check-config', configFile])).toMatch(/SUCCESS/);
    });

    it.each([
      [['alertname=ErrorBudgetBurnFast', 'severity=critical', 'service_name=payments', 'slo=availability'], 'oncall'],
      [['alertname=ErrorBudgetBurnSlow', 'severity=warning', 'service_name=payments', 'slo=availability'], 'chat'],
      [['alertname=ErrorBudgetBurnFast', 'severity=critical', 'service_name=checkout', 'slo=latency'], 'checkout-pager'],
      [['alertname=ServiceErrorRatioHigh', 'severity=warning', 'service_name=checkout'], 'chat'],
      [['alertname=ServiceDown', 'severity=critical', 'service_name=search'], 'oncall'],
      [['alertname=Watchdog', 'severity=none', 'service_name=checkout'], 'deadmans-switch'],
      [['alertname=TargetDown', 'severity=warning', 'service_name=otel-collector'], 'chat'],
    ])('%j → %s', (labels, receiver) => {
      expect(route(...labels)).toBe(receiver);
    });
  });
});
