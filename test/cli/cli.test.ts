import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { npmEnv } from '../sdk/support/npm';
import { REPO_ROOT, tempDir } from '../support/synth';

/** The `obskit` bin, spawned as a process: `node src/cli/bin.js …` (what npm links `obskit` to), or through npx. */
const BIN = join(REPO_ROOT, 'src', 'cli', 'bin.js');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function obskit(args: readonly string[], cwd = REPO_ROOT): Run {
  const out = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 90_000 });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** `npx obskit …` in the repository, as the README says; `--no` so npx never fetches a package of that name. */
function npxObskit(args: readonly string[]): Run {
  const out = spawnSync('npx', ['--no', '--', 'obskit', ...args], { cwd: REPO_ROOT, env: npmEnv(), encoding: 'utf8', timeout: 90_000 });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** A platform repository's own spec: it imports obskit as `obskit/src/…`, which the CLI resolves to itself. */
const PLATFORM_SPEC = `import { http, httpAvailability, nodejs } from 'obskit/src/mixins';
import { defineStack } from 'obskit/src/spec';

export const stack = defineStack({
  namespace: 'platform',
  environment: 'prod',
  services: [
    {
      name: 'checkout',
      port: 8080,
      mixins: [http(), nodejs()],
      slos: [{ name: 'availability', sli: httpAvailability(), objective: 99.9, period: '30d' }],
    },
  ],
});
`;

describe('obskit CLI: usage and exit statuses', () => {
  it('npx obskit --help prints the commands and exit statuses, exit 0', () => {
    const run = npxObskit(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('usage: obskit <command>');
    expect(run.stdout).toMatch(/^ {2}synth /m);
    expect(run.stdout).toMatch(/^ {2}check /m);
    expect(run.stdout).toContain('exit status: 0 ok, 1 failure or drift');
  });

  it('--version prints the package version, exit 0', () => {
    const run = obskit(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('no command: usage on stderr, exit 2', () => {
    const run = obskit([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: obskit <command>');
  });

  it('an unknown command is named, exit 2', () => {
    const run = obskit(['deploy']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('obskit: unknown command "deploy"');
  });

  it('synth --help prints its options, exit 0', () => {
    const run = obskit(['synth', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('usage: obskit synth [--check]');
    expect(run.stdout).toContain('--spec');
    expect(run.stdout).toContain('--out');
  });

  it.each([
    [['synth', '--frobnicate'], 'synth: unknown argument "--frobnicate"'],
    [['synth', '--out'], 'synth: --out needs a value'],
    [['synth', '--spec', 'stack.ts'], 'synth: --spec needs --out'],
  ])('obskit %j: the mistake and the usage on stderr, exit 2', (args, message) => {
    const run = obskit(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: obskit synth');
  });

  it('check is dispatched to src/check (no target given: its usage error, exit 2)', () => {
    const run = obskit(['check']);
    expect(run.stderr).not.toContain('unknown command');
    expect(run.stderr).toContain('usage: obskit check');
    expect(run.status).toBe(2);
  });
});

describe('obskit synth: a platform repository keeping its spec outside this one', () => {
  let root: string;
  let platform: string;
  let generated: string;
  // The README's command, with the paths relative to this repository as a sibling checkout would give them.
  let specArg: string;
  let outArg: string;

  beforeAll(() => {
    root = tempDir('cli-platform');
    platform = join(root, 'platform');
    generated = join(platform, 'generated');
    mkdirSync(platform);
    writeFileSync(join(platform, 'stack.ts'), PLATFORM_SPEC);
    specArg = relative(REPO_ROOT, join(platform, 'stack.ts'));
    outArg = relative(REPO_ROOT, generated);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('npx obskit synth --spec ../platform/stack.ts --out ../platform/generated writes its stack there, exit 0', () => {
    expect(specArg.startsWith('..')).toBe(true);
    const run = npxObskit(['synth', '--spec', specArg, '--out', outArg]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const file of ['dist/k8s/kustomization.yaml', 'dist/rules/http.yaml', 'dist/rules/slo.yaml', 'compose/docker-compose.yaml']) {
      expect(existsSync(join(generated, file))).toBe(true);
    }
    expect(readFileSync(join(generated, 'dist/k8s/namespace.yaml'), 'utf8')).toContain('name: platform');
    expect(readFileSync(join(generated, 'compose/prometheus/prometheus.yml'), 'utf8')).toContain('checkout');
    expect(existsSync(join(platform, 'dist'))).toBe(false); // only under --out
  });

  it('synth --check on the same: up to date, exit 0; after a hand edit, exit 1 naming the file, and nothing written', () => {
    const clean = obskit(['synth', '--check', '--spec', specArg, '--out', outArg]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('are up to date');

    const edited = join(generated, 'dist/rules/http.yaml');
    appendFileSync(edited, '# a hand edit\n');
    const after = readFileSync(edited, 'utf8');
    const drift = obskit(['synth', '--check', '--spec', specArg, '--out', outArg]);
    expect(drift.status).toBe(1);
    expect(drift.stderr).toContain('changed  dist/rules/http.yaml');
    expect(drift.stderr).toContain('run `obskit synth`');
    expect(readFileSync(edited, 'utf8')).toBe(after);
  });

  it('obskit check reads that spec too: a saved exposition missing the http mixin\'s metrics is a breach, exit 1', () => {
    const exposition = join(root, 'metrics.txt');
    writeFileSync(exposition, '# HELP up_total Something else.\n# TYPE up_total counter\nup_total 1\n');
    const run = obskit(['check', exposition, '--service', 'checkout', '--spec', join(platform, 'stack.ts')]);
    expect(run.status).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain('http_server_request_duration_seconds (http mixin)');
  });

  it('a bad spec outside the repository: every problem named with its path, exit 1, nothing written', () => {
    const bad = join(platform, 'bad-stack.ts');
    writeFileSync(bad, PLATFORM_SPEC.replace('port: 8080', 'port: 70000'));
    const out = join(root, 'bad-out');
    const run = obskit(['synth', '--spec', bad, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('services[0].port: must be 1–65535, got 70000');
    expect(run.stderr).toContain('Nothing was written');
    expect(existsSync(out)).toBe(false);
  });

  it('a syntax error in that spec: file, line and column, exit 1', () => {
    const broken = join(platform, 'broken-stack.ts');
    writeFileSync(broken, "export const stack = {\n  namespace: 'x',,\n};\n");
    const run = obskit(['synth', '--spec', broken, '--out', join(root, 'broken-out')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${broken}:2:`);
    expect(run.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });
});
