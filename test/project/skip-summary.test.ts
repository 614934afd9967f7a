/**
 * `npm test` without the tools: each suite that needs a missing tool is skipped, and the run ends with one summary
 * of what was skipped, why, and how to install it, instead of a line per suite while jest collects them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/synth';
import { skipSummary } from '../support/skip-summary';

const tool = (name: string, env: string, problem = 'not found') => ({ name, env, problem, install: `install ${name} like so` });

describe('the skip summary', () => {
  it('is empty when nothing was skipped', () => {
    expect(skipSummary([], REPO_ROOT)).toBe('');
  });

  it('groups the skipped suites by tool, with why and how to install each', () => {
    const summary = skipSummary(
      [
        { suite: 'rules', file: join(REPO_ROOT, 'test/alerts/a.test.ts'), tools: [tool('promtool', 'OBSKIT_PROMTOOL')] },
        {
          suite: 'live',
          file: join(REPO_ROOT, 'test/live/b.test.ts'),
          tools: [tool('promtool', 'OBSKIT_PROMTOOL'), tool('otelcol', 'OBSKIT_OTELCOL', '/x/otelcol is version 1, obskit pins 2')],
        },
      ],
      REPO_ROOT,
    );
    expect(summary.split('\n')).toEqual([
      'Skipped 2 suites: the real tools they run are not installed here.',
      '  otelcol: /x/otelcol is version 1, obskit pins 2',
      '    install: install otelcol like so; or set OBSKIT_OTELCOL to its path',
      '    skipped: test/live/b.test.ts: live',
      '  promtool: not found',
      '    install: install promtool like so; or set OBSKIT_PROMTOOL to its path',
      '    skipped: test/alerts/a.test.ts: rules',
      '    skipped: test/live/b.test.ts: live',
      'CI sets OBSKIT_REQUIRE_TOOLS=1, which fails these suites instead of skipping them.',
      '',
    ]);
  });

  it('is printed once, at the end of a real jest run, and nothing is printed per suite', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OBSKIT_PROMTOOL: '/nonexistent/promtool',
      OBSKIT_CHECKOV: '/nonexistent/checkov',
      OBSKIT_KUBE_SCORE: '/nonexistent/kube-score',
    };
    delete env.OBSKIT_REQUIRE_TOOLS;
    delete env.OBSKIT_SKIPS_DIR;
    const run = spawnSync(
      join(REPO_ROOT, 'node_modules/.bin/jest'),
      ['--roots', '<rootDir>/test/fixtures/jest', '--testRegex', 'needs-tools\\.fixture\\.ts$', '--ci'],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(0);
    expect(output).not.toContain('SKIPPED "');
    expect(output.match(/^Skipped \d+ suites?:.*$/gm)).toEqual(['Skipped 2 suites: the real tools they run are not installed here.']);
    const summary = run.stderr.slice(run.stderr.indexOf('Skipped 2 suites'));
    expect(run.stderr.indexOf('Skipped 2 suites')).toBeGreaterThan(run.stderr.indexOf('Tests:'));
    expect(summary).toContain('  checkov: not found\n    install: bash tools/checkov/install.sh');
    expect(summary).toContain('or set OBSKIT_KUBE_SCORE to its path');
    expect(summary).toContain('    skipped: test/fixtures/jest/needs-tools.fixture.ts: a suite that needs promtool');
    expect(summary).toContain('    skipped: test/fixtures/jest/needs-tools.fixture.ts: a suite that needs checkov and kube-score');
    expect(run.stderr).toMatch(/Tests: +2 skipped, 1 passed, 3 total/);
  });
});
