import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSpec } from '../../src/spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { stack as covetpy } from '../../examples/covetpy';
import { stack as galway } from '../../examples/galway';
import { stack as gitNotesMemory } from '../../examples/git-notes-memory';
import { stack as zephyr } from '../../examples/zephyr';
import { REPO_ROOT, runSynth, tempDir } from '../support/synth';

/** The example spec of each system (examples/), a team's starting point. */
const EXAMPLES = { 'git-notes-memory': gitNotesMemory, zephyr, galway, covetpy } as const;

describe('the example specs of the four systems', () => {
  it.each(Object.entries(EXAMPLES))('%s resolves and synthesizes its mixin’s rules and dashboards', (name, input) => {
    const paths = buildArtifacts(resolveSpec(input)).map((a) => a.path);
    expect(paths).toContain(`dist/rules/${name}.yaml`);
    expect(paths.filter((p) => p.startsWith(`dist/dashboards/${name}`)).length).toBeGreaterThan(0);
  });

  it('covers every system mixin in src/mixins', () => {
    for (const name of Object.keys(EXAMPLES)) expect(existsSync(join(REPO_ROOT, 'src', 'mixins', name))).toBe(true);
    expect(readdirSync(join(REPO_ROOT, 'examples')).sort()).toEqual(Object.keys(EXAMPLES).map((n) => `${n}.ts`).sort());
  });

  it('runs through the real synth command: npm run synth -- --spec examples/zephyr.ts', () => {
    const out = tempDir('example-zephyr');
    const run = runSynth(['--spec', join(REPO_ROOT, 'examples', 'zephyr.ts'), '--out', out]);
    expect(run.status).toBe(0);
    expect(existsSync(join(out, 'dist', 'rules', 'zephyr.yaml'))).toBe(true);
    expect(existsSync(join(out, 'dist', 'dashboards', 'zephyr-application-overview.json'))).toBe(true);
  });
});
