/**
 * Grafana's, Loki's and Tempo's code is AGPL: obskit deploys their published images, and never builds, imports or
 * runs their code (their configs are checked against their documentation instead: test/config/reference/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOL_PINS } from '../../tools/pins';
import { REPO_ROOT } from '../support/synth';
import { TOOLS } from '../support/tools';

const AGPL_PROGRAMS = /^(loki|grafana|grafana-server|tempo|minio)$/;

describe('no AGPL code in the build or the tests', () => {
  it('installs no npm package under an AGPL licence', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { license?: string }> };
    const agpl = Object.entries(lock.packages).filter(([, p]) => /AGPL/i.test(p.license ?? ''));
    expect(Object.keys(lock.packages).length).toBeGreaterThan(100);
    expect(agpl).toEqual([]);
  });

  it('builds and runs no Grafana, Loki or Tempo binary', () => {
    expect(Object.keys(TOOLS).filter((name) => AGPL_PROGRAMS.test(name))).toEqual([]);
    expect(Object.keys(TOOL_PINS).filter((name) => AGPL_PROGRAMS.test(name))).toEqual([]);
  });
});
