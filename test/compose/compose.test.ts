import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderCompose } from '../../src/compose/compose';
import { resolveSpec, STATEFUL_COMPONENTS } from '../../src/spec';
import { demoSpecInput as stack } from '../fixtures/demo-spec';
import { toYaml } from '../../src/output/yaml';
import { synthInto, tempDir } from '../support/synth';
import { describeWithTools, runTool } from '../support/tools';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  volumes?: string[];
  ports?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { memory?: string } } };
  environment?: Record<string, string>;
  extra_hosts?: string[];
  secrets?: Array<{ source: string; target: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

/** Loads a compose file with Docker Compose's own loader; returns its error output, or '' when it loads. */
function composeErrors(composeCheck: string, file: string): string {
  try {
    runTool(composeCheck, [file]);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('compose/docker-compose.yaml', () => {
  let root: string;
  let composeDir: string;
  let compose: ComposeFile;
  beforeAll(() => {
    root = synthInto('compose');
    composeDir = join(root, 'compose');
    compose = parse(readFileSync(join(composeDir, 'docker-compose.yaml'), 'utf8')) as ComposeFile;
  });

  describeWithTools('loaded by Docker Compose\'s own loader (compose-go)', ['compose-check'], ({ 'compose-check': check }) => {
    it('validates against the compose-spec JSON schema and passes compose\'s consistency checks', () => {
      expect(composeErrors(check, join(composeDir, 'docker-compose.yaml'))).toBe('');
    });

    it('can fail: a misspelt key or a bad depends_on condition is rejected, naming where', () => {
      const source = readFileSync(join(composeDir, 'docker-compose.yaml'), 'utf8');
      const misspelt = join(composeDir, 'misspelt.yaml');
      writeFileSync(misspelt, source.replace('    read_only: true', '    read_onli: true'));
      expect(composeErrors(check, misspelt)).toMatch(/read_onli/);
      const badCondition = join(composeDir, 'bad-condition.yaml');
      writeFileSync(badCondition, source.replace('condition: service_healthy', 'condition: service_ready'));
      expect(composeErrors(check, badCondition)).toMatch(/depends_on.*condition/);
    });
  });

  it('runs the whole stack and the demo service', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['alertmanager', 'blackbox-exporter', 'demo', 'grafana', 'grafana-init', 'loki', 'otel-collector', 'prometheus', 'tempo', 'volume-init'].sort(),
    );
  });

  it('mounts only paths that exist in the generated tree', () => {
    const sources: string[] = [];
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) sources.push(source);
      }
      if (service.build) {
        expect(existsSync(resolve(composeDir, service.build.context))).toBe(true);
        expect(existsSync(resolve(composeDir, service.build.context, service.build.dockerfile))).toBe(true);
      }
    }
    expect(sources.length).toBeGreaterThanOrEqual(9);
    for (const source of sources) expect([source, existsSync(resolve(composeDir, source))]).toEqual([source, true]);
  });

  it('pins every image to a version, never latest', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:[\w.-]+$/)]);
      expect(service.image!.endsWith(':latest')).toBe(false);
    }
  });

  it('keeps every stateful part on a named volume', () => {
    for (const component of STATEFUL_COMPONENTS) {
      const volumes = compose.services[component]!.volumes ?? [];
      const named = volumes.filter((v) => /^[a-z][-a-z0-9]*:/.test(v)).map((v) => v.split(':')[0]!);
      expect([component, named]).toEqual([component, [`${component}-data`]]);
      expect(compose.volumes).toHaveProperty(`${component}-data`);
    }
  });

  it('hardens every container: read-only root, no capabilities, no privilege escalation, memory capped', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.read_only]).toEqual([name, true]);
      expect([name, service.cap_drop]).toEqual([name, ['ALL']]);
      // Only the volume init adds one back: CHOWN, to give each data volume to its user.
      expect([name, service.cap_add]).toEqual([name, name === 'volume-init' ? ['CHOWN'] : undefined]);
      expect([name, service.security_opt]).toEqual([name, ['no-new-privileges:true']]);
      expect([name, service.deploy?.resources?.limits?.memory]).toEqual([name, expect.stringMatching(/^\d+[kmg]?$/)]);
    }
  });

  it('publishes only what a person needs, on loopback', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services)
        .filter(([, s]) => s.ports)
        .map(([name, s]) => [name, s.ports]),
    );
    expect(published).toEqual({
      'otel-collector': ['127.0.0.1:4317:4317', '127.0.0.1:4318:4318'],
      prometheus: ['127.0.0.1:9090:9090'],
      alertmanager: ['127.0.0.1:9093:9093'],
      grafana: ['127.0.0.1:3000:3000'],
      demo: ['127.0.0.1:8080:8080'],
    });
  });

  it('waits on health, not just start, wherever the image can report it', () => {
    const healthy = Object.entries(compose.services)
      .filter(([, s]) => s.healthcheck)
      .map(([n]) => n)
      .sort();
    expect(healthy).toEqual(['alertmanager', 'blackbox-exporter', 'demo', 'grafana', 'loki', 'prometheus', 'tempo']);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const expected = compose.services[dependency]!.healthcheck
          ? 'service_healthy'
          : dependency === 'grafana-init' || dependency === 'volume-init'
            ? 'service_completed_successfully'
            : 'service_started';
        expect([name, dependency, condition]).toEqual([name, dependency, expected]);
      }
    }
  });

  it('bakes no Grafana admin password in: it is made at first start and read from a file', () => {
    const grafana = compose.services.grafana!;
    const env = grafana.environment ?? {};
    expect(env).not.toHaveProperty('GF_SECURITY_ADMIN_PASSWORD');
    expect(env.GF_SECURITY_ADMIN_PASSWORD__FILE).toMatch(/^\/var\/lib\/grafana\//);
    expect(readFileSync(join(composeDir, 'docker-compose.yaml'), 'utf8')).not.toMatch(/admin_password\s*[:=]\s*\w/i);
  });
});

describe('compose secrets for alert receivers', () => {
  const spec = resolveSpec({
    ...stack,
    alerting: {
      receivers: [
        { name: 'pager', type: 'pagerduty', routingKey: { name: 'pagerduty', key: 'routing-key' } },
        { name: 'chat', type: 'slack', apiUrl: { name: 'slack', key: 'api-url' }, channel: '#alerts' },
      ],
      routes: [
        { severity: 'critical', receiver: 'pager' },
        { severity: 'warning', receiver: 'chat' },
      ],
    },
  });
  const compose = renderCompose(spec) as unknown as ComposeFile;

  it('reads each secret from a file you create under compose/secrets, mounted where Alertmanager reads it', () => {
    expect(compose.secrets).toEqual({
      'pagerduty-routing-key': { file: './secrets/pagerduty/routing-key' },
      'slack-api-url': { file: './secrets/slack/api-url' },
    });
    expect(compose.services.alertmanager!.secrets).toEqual([
      { source: 'pagerduty-routing-key', target: '/etc/alertmanager/secrets/pagerduty/routing-key' },
      { source: 'slack-api-url', target: '/etc/alertmanager/secrets/slack/api-url' },
    ]);
  });

  describeWithTools('with receiver secrets', ['compose-check'], ({ 'compose-check': check }) => {
    it('still loads in Docker Compose\'s loader', () => {
      const dir = tempDir('compose-secrets');
      writeFileSync(join(dir, 'docker-compose.yaml'), toYaml(compose));
      expect(composeErrors(check, join(dir, 'docker-compose.yaml'))).toBe('');
    });
  });
});

describe('services on the machine running compose', () => {
  const onHost = resolveSpec({ ...stack, services: [...stack.services, { name: 'agent', port: 9100, host: 'host.docker.internal' }] });
  const pushOnly = resolveSpec({ ...stack, services: [...stack.services, { name: 'hooks', ingest: 'otlp' }] });

  it('maps host.docker.internal to the host gateway for Prometheus when a scraped service lives there (Linux has no such name)', () => {
    const compose = renderCompose(onHost) as unknown as ComposeFile;
    expect(compose.services.prometheus!.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
  });

  it('adds no extra host otherwise; a push-only service needs none (it reaches the published OTLP port)', () => {
    for (const spec of [resolveSpec(stack), pushOnly]) {
      const compose = renderCompose(spec) as unknown as ComposeFile;
      expect(Object.values(compose.services).filter((s) => s.extra_hosts)).toEqual([]);
    }
  });

  describeWithTools('loaded by compose-go', ['compose-check'], ({ 'compose-check': check }) => {
    it('accepts the extra_hosts entry', () => {
      const dir = tempDir('compose-host');
      writeFileSync(join(dir, 'docker-compose.yaml'), toYaml(renderCompose(onHost)));
      expect(composeErrors(check, join(dir, 'docker-compose.yaml'))).toBe('');
    });
  });
});

describe('the OTLP bearer token (intake.otlpToken)', () => {
  const spec = resolveSpec({ ...stack, intake: { otlpToken: { name: 'otlp', key: 'token' } } });
  const compose = renderCompose(spec) as unknown as ComposeFile;

  it('hands the collector the token file you create under compose/secrets, where its config reads it', () => {
    expect(compose.services['otel-collector']!.secrets).toEqual([{ source: 'otlp-token', target: '/etc/otelcol-secrets/otlp/token' }]);
    expect(compose.secrets).toEqual({ 'otlp-token': { file: './secrets/otlp/token' } });
    expect(toYaml(compose)).not.toMatch(/Bearer/);
  });

  describeWithTools('loaded by compose-go', ['compose-check'], ({ 'compose-check': check }) => {
    it('still loads', () => {
      const dir = tempDir('compose-token');
      writeFileSync(join(dir, 'docker-compose.yaml'), toYaml(compose));
      expect(composeErrors(check, join(dir, 'docker-compose.yaml'))).toBe('');
    });
  });
});
