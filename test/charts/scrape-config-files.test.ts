import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { splitScrapeConfigs } from '../../src/charts/scrape-config-files';
import { renderContext } from '../../src/config/context';
import { renderPrometheusConfig } from '../../src/config/prometheus';
import { fleetSpec } from '../fixtures/fleet-spec';
import { describeWithTools, runTool } from '../support/tools';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ctx = renderContext('kubernetes');
let fleetConfig: Obj | undefined;
/** A 300-service fleet's prometheus.yml (built once: resolving the spec takes seconds). */
const fleet = () => (fleetConfig ??= renderPrometheusConfig(fleetSpec(300), ctx) as Obj);
const jobNames = (config: Obj) => (config.scrape_configs as Obj[]).map((j) => j.job_name as string);

describe('prometheus.yml cut to fit ConfigMaps', () => {
  it('stays one file while it fits', () => {
    const config = renderPrometheusConfig(fleetSpec(3), ctx);
    const split = splitScrapeConfigs(config, '/etc/prometheus/scrape');
    expect(split.files).toEqual({});
    expect(parse(split.main)).toEqual(parse(JSON.stringify(config)));
  });

  it('past the bound, moves every job, in order and once, into files each within it', () => {
    const config = fleet();
    const split = splitScrapeConfigs(config, '/etc/prometheus/scrape', 64 * 1024);
    const main = parse(split.main) as Obj;
    expect(main.scrape_configs).toBeUndefined();
    expect(main.scrape_config_files).toEqual(['/etc/prometheus/scrape/*.yml']);
    expect({ ...main, scrape_config_files: undefined }).toEqual({ ...config, scrape_configs: undefined });
    const files = Object.entries(split.files);
    expect(files.length).toBeGreaterThan(3);
    for (const [, text] of files) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
    expect(files.flatMap(([, text]) => jobNames(parse(text) as Obj))).toEqual(jobNames(config));
  });
});

describeWithTools('the cut prometheus.yml against the pinned promtool', ['promtool'], ({ promtool }) => {
  it('loads with every scrape job from its files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obskit-scrape-files-'));
    const scrape = join(dir, 'scrape');
    mkdirSync(scrape);
    const config = fleet();
    const split = splitScrapeConfigs(config, scrape, 64 * 1024);
    // The in-cluster service-account files promtool wants to see exist, here.
    const account = join(dir, 'serviceaccount');
    mkdirSync(account);
    for (const f of ['token', 'ca.crt', 'namespace']) writeFileSync(join(account, f), '');
    const local = (text: string) => text.replaceAll('/var/run/secrets/kubernetes.io/serviceaccount', account);
    for (const [file, text] of Object.entries(split.files)) writeFileSync(join(scrape, file), local(text));
    writeFileSync(join(dir, 'prometheus.yml'), local(split.main));
    expect(readdirSync(scrape).length).toBe(Object.keys(split.files).length);
    // promtool loads every file the glob names (--syntax-only would not).
    expect(runTool(promtool, ['check', 'config', join(dir, 'prometheus.yml')])).toMatch(/SUCCESS/);
    writeFileSync(join(scrape, 'scrape-2.yml'), 'scrape_configs:\n  - job_name: broken\n    scrape_interval: soon\n');
    expect(() => runTool(promtool, ['check', 'config', join(dir, 'prometheus.yml')])).toThrow(/scrape-2\.yml|soon/);
  });
});
