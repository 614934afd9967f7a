/**
 * compose/secrets: synth writes its README from the spec's receivers (every file compose reads, and nothing else),
 * warns about each file that does not exist yet, and leaves everything else in the folder alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { renderCompose } from '../../src/compose/compose';
import { SECRETS_README, secretsReadme, secretUses } from '../../src/compose/secrets';
import { renderContext } from '../../src/config/context';
import { resolveSpec } from '../../src/spec';
import { fullSpec } from '../fixtures/full-spec';
import { REPO_ROOT, runSynth, tempDir } from '../support/synth';

const WITH_RECEIVERS = join(REPO_ROOT, 'test/fixtures/specs/with-receivers.ts');

/** The files the rendered compose file mounts as secrets, relative to the repository root. */
function composeSecretFiles(spec = fullSpec): string[] {
  const compose = renderCompose(spec, renderContext('compose')) as { secrets?: Record<string, { file: string }> };
  return Object.values(compose.secrets ?? {}).map((s) => posix.join('compose', s.file)).sort();
}

describe('compose/secrets/README.md', () => {
  it('lists exactly the files the compose file mounts, with the receiver that reads each', () => {
    const readme = secretsReadme(fullSpec);
    const listed = [...readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => `compose/secrets/${m[1]}`);
    expect([...new Set(listed)].sort()).toEqual(composeSecretFiles());
    expect(composeSecretFiles()).toEqual([
      'compose/secrets/healthchecks/ping-url',
      'compose/secrets/otlp/token',
      'compose/secrets/pagerduty/routing-key',
      'compose/secrets/slack/webhook-url',
      'compose/secrets/smtp/password',
    ]);
    expect(readme).toContain('| `pagerduty/routing-key` | `oncall` | the PagerDuty Events API v2 routing key');
    expect(readme).toContain('| `smtp/password` | `mail` | the SMTP password of alertmanager at smtp.example.com:587 |');
    expect(readme).toContain('| `otlp/token` | `otel-collector (OTLP intake)` | the bearer token OTLP senders must present');
  });

  it('shows how to create each file, without any value', () => {
    const readme = secretsReadme(fullSpec);
    for (const file of composeSecretFiles()) {
      expect(readme).toContain(`mkdir -p ${posix.dirname(file)}\n`);
      expect(readme).toMatch(new RegExp(`^printf '%s' "\\$[A-Z_]+" > ${file}$`, 'm'));
    }
  });

  it('says no file is needed when no receiver has a secret', () => {
    const none = resolveSpec({ services: [{ name: 'api', port: 8080 }] });
    expect(secretUses(none)).toEqual([]);
    expect(composeSecretFiles(none)).toEqual([]);
    expect(secretsReadme(none)).toContain('needs no file here');
  });

});

describe('synth and compose/secrets', () => {
  it('warns (without failing) about every secret file that does not exist, and stops once it does', () => {
    const out = tempDir('secrets');
    const first = runSynth(['--spec', WITH_RECEIVERS, '--out', out]);
    expect(first.status).toBe(0);
    const warnings = first.stderr.split('\n').filter((l) => l.startsWith('synth: warning: '));
    expect(warnings.map((w) => /warning: (\S+) does not exist/.exec(w)?.[1]).sort()).toEqual(composeSecretFiles());
    expect(first.stderr).toContain(
      'synth: warning: compose/secrets/slack/webhook-url does not exist; receiver "chat" needs the Slack incoming-webhook URL',
    );
    expect(readFileSync(join(out, SECRETS_README), 'utf8')).toBe(secretsReadme(fullSpec));

    mkdirSync(join(out, 'compose/secrets/slack'), { recursive: true });
    writeFileSync(join(out, 'compose/secrets/slack/webhook-url'), 'https://hooks.example/T0/B0/x');
    const second = runSynth(['--spec', WITH_RECEIVERS, '--out', out]);
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain('slack/webhook-url');
    expect(second.stderr).toContain('compose/secrets/pagerduty/routing-key does not exist');
  });

  it('writes only its README in compose/secrets: your files stay, and are not reported as stale', () => {
    const out = tempDir('secrets-kept');
    mkdirSync(join(out, 'compose/secrets/notes'), { recursive: true });
    writeFileSync(join(out, 'compose/secrets/notes/todo.txt'), 'rotate the key\n');
    writeFileSync(join(out, SECRETS_README), 'my own notes\n');
    const run = runSynth(['--spec', WITH_RECEIVERS, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`  updated  ${SECRETS_README}`);
    expect(run.stdout).not.toMatch(/removed {2}compose\/secrets/);
    expect(readFileSync(join(out, 'compose/secrets/notes/todo.txt'), 'utf8')).toBe('rotate the key\n');
    expect(existsSync(join(out, SECRETS_README))).toBe(true);
    expect(runSynth(['--check', '--spec', WITH_RECEIVERS, '--out', out]).status).toBe(0);
  });
});
