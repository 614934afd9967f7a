import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, runSynth, tempDir } from '../support/synth';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The first ```ts block after README's "### Write a mixin" heading. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Write a mixin'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README has no ```ts block under "### Write a mixin"');
  return match[1]!;
}

describe('README "Write a mixin"', () => {
  it('is a complete spec that synth turns into its rule file, dashboard and SLOs', () => {
    const dir = tempDir('readme-mixin');
    // The block imports from the repository root; in a temporary folder those paths become absolute.
    const file = join(dir, 'stack.ts');
    writeFileSync(file, readmeExample().replaceAll("from './src/", `from '${REPO_ROOT}/src/`));
    const out = join(dir, 'out');
    const run = runSynth(['--spec', file, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rules = parse(readFileSync(join(out, 'dist/rules/shop.yaml'), 'utf8')) as Obj;
    expect(rules.groups.map((g: Obj) => [g.name, g.rules.map((r: Obj) => r.alert)])).toEqual([['obskit.shop.shop', ['ShopOrdersFailing']]]);
    const slo = parse(readFileSync(join(out, 'dist/rules/slo.yaml'), 'utf8')) as Obj;
    expect(slo.groups.map((g: Obj) => g.name)).toEqual(['obskit.slo.shop', 'obskit.slo.windows', 'obskit.slo.alerts']);
    expect(slo.groups[0].rules.filter((r: Obj) => r.record === 'slo:error_budget:ratio').map((r: Obj) => r.labels.slo)).toEqual(['availability', 'orders', 'checkout']);
    expect(JSON.parse(readFileSync(join(out, 'dist/dashboards/shop.json'), 'utf8')).title).toBe('Shop');
  });
});
