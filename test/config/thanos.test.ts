/**
 * The `ha` profile's Thanos files and flags: what obskit renders for Kubernetes (hashring, Query endpoints, objstore
 * config, Receive and Query flags), checked for shape here and against the pinned Thanos binary where it can judge
 * them without a cluster: `thanos tools bucket ls` parses the objstore config (pointed at a closed loopback port, so
 * it fails only after parsing, when it connects), and a broken config is refused at parsing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderContext } from '../../src/config/context';
import { haAddresses } from '../../src/config/ha';
import { renderAlertmanagerConfig, alertmanagerArgs } from '../../src/config/alertmanager';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { queryArgs, receiveArgs, kubernetesSelf, renderHashrings, renderObjstoreConfig, renderQueryEndpoints, thanosKubernetesContext } from '../../src/config/thanos';
import { toYaml } from '../../src/output/yaml';
import { resolveSpec, specForTarget } from '../../src/spec';
import { freePort } from '../support/net';
import { describeWithTools } from '../support/tools';
import { haExternalStoreSpec, haSpec } from '../fixtures/ha-spec';

const ctx = renderContext('kubernetes');

describe('ha profile configs', () => {
  it('names every Receive member in the hashring and in Query\'s endpoints, as each member names itself', () => {
    const thanos = thanosKubernetesContext(haSpec, ctx);
    const ring = JSON.parse(renderHashrings(thanos)) as { hashring: string; endpoints: string[] }[];
    expect(ring).toEqual([
      {
        hashring: 'default',
        endpoints: [0, 1, 2].map((i) => `thanos-receive-${i}.thanos-receive-headless:10901`),
      },
    ]);
    expect(renderQueryEndpoints(thanos)).toEqual({ endpoints: ring[0]!.endpoints.map((address) => ({ address })) });
    const args = receiveArgs(haSpec, kubernetesSelf(ctx, 'POD_NAME'), { hashrings: '/h', dataDir: '/d' });
    expect(args).toContain('--receive.local-endpoint=$(POD_NAME).thanos-receive-headless:10901');
    expect(args).toContain('--receive.replication-factor=3');
    expect(queryArgs(thanos, { endpoints: '/e' })).toEqual(expect.arrayContaining(['--query.replica-label=replica', '--query.replica-label=receive_replica']));
  });

  it('writes no credential into the objstore config: Thanos reads them from the environment', () => {
    const text = toYaml(renderObjstoreConfig(haSpec));
    expect(text).not.toMatch(/access_key|secret_key|session_token/);
    expect(renderObjstoreConfig(haSpec)).toEqual({
      type: 'S3',
      config: { bucket: 'obskit-metrics', endpoint: 's3.eu-west-1.amazonaws.com', region: 'eu-west-1', insecure: false },
    });
  });

  it('Prometheus: replica label from POD_NAME, remote_write to Receive (or the external store), alerts to every Alertmanager', () => {
    const prom = renderPrometheusConfig(haSpec, ctx) as { global: { external_labels: Record<string, string> }; remote_write: { url: string }[]; alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    expect(prom.global.external_labels.replica).toBe('${POD_NAME}');
    expect(prom.remote_write).toEqual([{ url: 'http://thanos-receive:19291/api/v1/receive' }]);
    expect(prom.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(haAddresses(haSpec, ctx).alertmanagers);
    expect(haAddresses(haSpec, ctx).alertmanagers).toHaveLength(3);
    const external = renderPrometheusConfig(haExternalStoreSpec, ctx) as { remote_write: { url: string }[]; scrape_configs: { job_name: string }[] };
    expect(external.remote_write).toEqual([{ url: 'https://mimir.example.com/api/v1/push' }]);
    // The stack watches its own Thanos; with an external store there is none to watch.
    const jobs = (c: unknown) => (c as { scrape_configs: { job_name: string }[] }).scrape_configs.map((j) => j.job_name);
    expect(jobs(prom)).toEqual(expect.arrayContaining(['thanos-receive', 'thanos-query']));
    expect(jobs(external).filter((j) => j.startsWith('thanos'))).toEqual([]);
  });

  it('Alertmanager: a gossip cluster of every replica in ha, none in single', () => {
    const args = alertmanagerArgs(haSpec, ctx, { configFile: '/c', dataDir: '/d' });
    expect(args.filter((a) => a.startsWith('--cluster.peer='))).toEqual([0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless:9094`));
    expect(args).toContain('--cluster.advertise-address=[$(POD_IP)]:9094');
    const single = resolveSpec({ namespace: 'x', services: [] });
    expect(alertmanagerArgs(single, ctx, { configFile: '/c', dataDir: '/d' })).toContain('--cluster.listen-address=');
    expect(renderAlertmanagerConfig(haSpec, ctx)).toEqual(renderAlertmanagerConfig({ ...haSpec, profile: 'single' }, ctx));
  });

  it('compose always runs single, whatever the profile', () => {
    expect(specForTarget(haSpec, 'compose').profile).toBe('single');
    expect(specForTarget(haSpec, 'kubernetes').profile).toBe('ha');
  });
});

describeWithTools('ha profile configs against the pinned Thanos', ['thanos'], ({ thanos }) => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'obskit-thanos-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `thanos tools bucket ls` with an objstore config: its output, and the credentials as the pod's env would have them. */
  const bucketLs = (config: string) => {
    const file = join(dir, `objstore-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, config);
    const run = spawnSync(thanos, ['tools', 'bucket', 'ls', `--objstore.config-file=${file}`], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test-id', AWS_SECRET_ACCESS_KEY: 'test-secret' },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };

  it('parses the generated objstore config and gets as far as connecting to the bucket', async () => {
    const closed = await freePort();
    // Only the endpoint is changed: a closed loopback port instead of the S3 service.
    const config = toYaml(renderObjstoreConfig(haSpec)).replace('s3.eu-west-1.amazonaws.com', `127.0.0.1:${closed}`);
    const run = bucketLs(config);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/connection refused|connect: /i);
    expect(run.output).not.toMatch(/parse|unmarshal|yaml:/i);
  });

  it('can fail: a config with an unknown key is refused when parsed', () => {
    const run = bucketLs(`${toYaml(renderObjstoreConfig(haSpec))}\nconfig_typo: true\n`);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/config_typo|unmarshal|field/i);
  });
});
