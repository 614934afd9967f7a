import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existingGeneratedFiles } from '../../src/synth/files';
import { REPO_ROOT, runSynth, SHIPPED_SPEC, synthInto, tempDir } from '../support/synth';

function snapshot(root: string): Map<string, string> {
  return new Map(existingGeneratedFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}

describe('npm run synth', () => {
  let out: string;
  beforeAll(() => {
    out = synthInto('synth');
  });

  it('writes the compose stack, the files it mounts and the rule files, and says what it wrote', () => {
    const files = existingGeneratedFiles(out);
    expect(files).toEqual(
      expect.arrayContaining([
        'compose/docker-compose.yaml',
        'compose/otelcol/config.yaml',
        'compose/prometheus/prometheus.yml',
        'compose/alertmanager/alertmanager.yml',
        'compose/loki/loki.yaml',
        'compose/tempo/tempo.yaml',
        'compose/grafana/provisioning/datasources/obskit.yaml',
        'compose/grafana/provisioning/dashboards/obskit.yaml',
        'dist/rules/stack-health.yaml',
      ]),
    );
    const second = runSynth(['--out', out]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/synth: \d+ files \(0 written, \d+ unchanged, 0 stale removed\)/);
    expect(second.stdout).toContain('compose/');
  });

  it('is deterministic: two runs into fresh folders give identical bytes', () => {
    const again = synthInto('synth-again');
    expect(snapshot(again)).toEqual(snapshot(out));
  });

  it('matches what is committed in this repository for the shipped spec (the drift check CI runs)', () => {
    expect(snapshot(REPO_ROOT)).toEqual(snapshot(synthInto('synth-shipped', SHIPPED_SPEC)));
  });

  describe('--check', () => {
    let copy: string;
    beforeEach(() => {
      copy = synthInto('check');
    });

    it('passes on fresh output and writes nothing', () => {
      const before = snapshot(copy);
      const run = runSynth(['--check', '--out', copy]);
      expect(run.status).toBe(0);
      expect(snapshot(copy)).toEqual(before);
    });

    it('fails after a hand edit of a generated file and names it', () => {
      appendFileSync(join(copy, 'compose/prometheus/prometheus.yml'), '# tweak\n');
      const run = runSynth(['--check', '--out', copy]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('changed  compose/prometheus/prometheus.yml');
    });

    it('fails when a generated file is deleted or an unknown one appears', () => {
      rmSync(join(copy, 'dist/rules/stack-health.yaml'));
      writeFileSync(join(copy, 'compose/leftover.yaml'), 'x: 1\n');
      const run = runSynth(['--check', '--out', copy]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('missing  dist/rules/stack-health.yaml');
      expect(run.stderr).toContain('extra    compose/leftover.yaml');
    });

    it('covers the catalog: a hand edit of dist/catalog is drift; Python’s bytecode cache beside the bindings is not', () => {
      mkdirSync(join(copy, 'dist/catalog/python/obskit_catalog/__pycache__'), { recursive: true });
      writeFileSync(join(copy, 'dist/catalog/python/obskit_catalog/__pycache__/http.cpython-311.pyc'), 'x');
      expect(runSynth(['--check', '--out', copy]).status).toBe(0);
      appendFileSync(join(copy, 'dist/catalog/http.json'), ' ');
      const run = runSynth(['--check', '--out', copy]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('changed  dist/catalog/http.json');
    });

    it('leaves your compose secrets alone', () => {
      mkdirSync(join(copy, 'compose/secrets/slack'), { recursive: true });
      writeFileSync(join(copy, 'compose/secrets/slack/api-url'), 'https://hooks.example/secret\n');
      expect(runSynth(['--check', '--out', copy]).status).toBe(0);
      expect(runSynth(['--out', copy]).status).toBe(0);
      expect(existsSync(join(copy, 'compose/secrets/slack/api-url'))).toBe(true);
    });
  });

  it('removes files it no longer generates', () => {
    const copy = synthInto('stale');
    writeFileSync(join(copy, 'dist/rules/old-group.yaml'), 'groups: []\n');
    const run = runSynth(['--out', copy]);
    expect(run.stdout).toContain('1 stale removed');
    expect(run.stdout).toContain('  removed  dist/rules/old-group.yaml');
    expect(existsSync(join(copy, 'dist/rules/old-group.yaml'))).toBe(false);
  });

  it('names every file it created, updated and removed, and only those', () => {
    const copy = synthInto('named');
    appendFileSync(join(copy, 'compose/prometheus/prometheus.yml'), '# tweak\n');
    rmSync(join(copy, 'dist/rules/stack-health.yaml'));
    writeFileSync(join(copy, 'compose/leftover.yaml'), 'x: 1\n');
    const run = runSynth(['--out', copy]);
    expect(run.status).toBe(0);
    const named = run.stdout.split('\n').filter((l) => /^ {2}(created|updated|removed) {2}/.test(l));
    expect(named).toEqual([
      '  created  dist/rules/stack-health.yaml',
      '  updated  compose/prometheus/prometheus.yml',
      '  removed  compose/leftover.yaml',
    ]);
    expect(run.stdout).toContain('(2 written, ');
  });

  it('rejects a bad spec with every problem named, exit code 1, and writes nothing', () => {
    const dir = tempDir('bad-spec');
    const specFile = join(dir, 'bad-stack.ts');
    writeFileSync(
      specFile,
      `export const stack = { namespace: '', services: [{ name: 'api', port: 70000 }, { name: 'api', port: 80 }] };\n`,
    );
    const target = synthInto('bad-spec-target');
    appendFileSync(join(target, 'compose/loki/loki.yaml'), '# a hand edit synth would overwrite\n');
    const before = snapshot(target);
    const run = runSynth(['--spec', specFile, '--out', target]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('namespace: the namespace must be a DNS-1123 label');
    expect(run.stderr).toContain('services[0].port: must be 1–65535, got 70000');
    expect(run.stderr).toContain('services[1].name: "api" is already used by services[0]');
    expect(run.stderr).toContain('Nothing was written');
    expect(snapshot(target)).toEqual(before);
  });

  it('says how to use it when given an unknown argument', () => {
    const run = runSynth(['--frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown argument "--frobnicate"');
    expect(run.stderr).toContain('usage: npm run synth');
  });
});
