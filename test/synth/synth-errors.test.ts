/**
 * When synth cannot run it says where and what in a few lines, writes nothing, and shows no stack trace: a spec
 * with a syntax error, a spec whose code throws, a missing spec, and generated output that fails its own check.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existingGeneratedFiles } from '../../src/synth/files';
import { REPO_ROOT, runSynth, synthInto, tempDir, type SynthRun } from '../support/synth';

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function snapshot(root: string): Map<string, string> {
  return new Map(existingGeneratedFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}

function specFile(name: string, source: string): string {
  const file = join(tempDir('spec'), name);
  writeFileSync(file, source);
  return file;
}

describe('synth failures', () => {
  let target: string;
  let before: Map<string, string>;
  beforeAll(() => {
    target = synthInto('failures');
    appendFileSync(join(target, 'compose/loki/loki.yaml'), '# a hand edit synth would overwrite\n');
    before = snapshot(target);
  });

  /** Runs synth on a spec into the target folder and checks the common contract: exit 1, no trace, nothing written. */
  function failingRun(spec: string): SynthRun {
    const run = runSynth(['--spec', spec, '--out', target]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr).toContain('Nothing was written');
    expect(snapshot(target)).toEqual(before);
    return run;
  }

  it('names the file, line and column of a syntax error in the spec, and shows the line', () => {
    const spec = specFile(
      'stack.ts',
      ['export const stack = {', "  services: [{ name: 'api', port: 8080 }]", "  namespace: 'obs',", '};', ''].join('\n'),
    );
    const run = failingRun(spec);
    expect(run.stderr).toContain('synth: the spec has a syntax error:');
    expect(run.stderr).toContain(`${spec}:3:3: Expected "}" but found "namespace"`);
    expect(run.stderr).toContain("    namespace: 'obs',\n      ^");
  });

  it('names where the spec threw, and what', () => {
    const spec = specFile('stack.ts', "const services: any = undefined;\nexport const stack = { services: services.list };\n");
    const run = failingRun(spec);
    expect(run.stderr).toContain(`synth: loading the spec failed at ${spec}:2:`);
    expect(run.stderr).toContain("TypeError: Cannot read properties of undefined (reading 'list')");
  });

  it('names an import of the spec that does not resolve', () => {
    const spec = specFile('stack.ts', "import { stack as base } from './nowhere';\nexport const stack = base;\n");
    const run = failingRun(spec);
    expect(run.stderr).toContain(`synth: loading the spec failed at ${spec}:`);
    expect(run.stderr).toContain("Cannot find module './nowhere'");
  });

  it('says so when there is no spec at the path given', () => {
    const run = runSynth(['--spec', join(tempDir('no-spec'), 'missing.ts'), '--out', target]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^synth: no spec module at .*missing\.ts/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('names the mixin, rule file, group, rule and expression when a mixin’s rules fail their check', () => {
    const run = failingRun(join(REPO_ROOT, 'test/fixtures/specs/broken-rule-check.ts'));
    expect(run.stderr).toContain("services[0].mixins[0]: the http mixin's rules query what no mixin of the spec defines (a defect in the mixin");
    expect(run.stderr).toMatch(
      /dist\/rules\/http\.yaml: group obskit\.http\.recording, record \S+: "http_server_request_duration_seconds_count" has no label "http_status_code"/,
    );
    expect(run.stderr).toContain('http_status_code=~"5.."');
  });

  it('names the mixin, dashboard file and panel when a mixin’s dashboard fails its check', () => {
    const run = failingRun(join(REPO_ROOT, 'test/fixtures/specs/broken-dashboard-check.ts'));
    expect(run.stderr).toContain("services[0].mixins[0]: the http mixin's dashboards fail their checks");
    expect(run.stderr).toMatch(/service-overview\.json: panel \d+ "Request rate": unit "reqps" is not a Grafana unit/);
  });
});
