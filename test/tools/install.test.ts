import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prometheusModuleVersion, TOOL_PINS } from '../../tools/pins';
import { REPO_ROOT } from '../support/synth';

const script = readFileSync(join(REPO_ROOT, 'tools', 'install.sh'), 'utf8');
const commands = script
  .split('\n')
  .filter((line) => !line.trimStart().startsWith('#'))
  .join('\n')
  .replace(/\\\n\s*/g, ' ');

describe('tools/install.sh builds reproducibly', () => {
  it('names an exact version in every go get and go install', () => {
    const fetches = [...commands.matchAll(/\bgo (get|install)\b([^\n;|&]*)/g)];
    expect(fetches.length).toBeGreaterThan(3);
    for (const [whole, , args] of fetches) {
      const modules = args!.replace(/-ldflags "[^"]*"/g, '').split(/\s+/).filter((a) => a && !a.startsWith('-') && !a.startsWith('"-'));
      expect({ whole, modules: modules.length > 0 }).toEqual({ whole, modules: true });
      for (const m of modules) {
        if (m === '"${pkgs[@]}"') {
          expect(commands).toMatch(/pkgs\+=\("[^"]*@\$version"\)/);
          continue;
        }
        expect({ whole, pinned: /@(\$\{?[A-Za-z_]+\}?|v\d+\.\d+\.\d+)"?$/.test(m) }).toEqual({ whole, pinned: true });
        expect(m).not.toMatch(/@(latest|upgrade|patch|master|main)\b/);
      }
    }
  });

  it('checks every pinned binary right after building it, before linking it', () => {
    const linked = [...commands.matchAll(/verify_and_link (\w[\w-]*)/g)].map((m) => m[1]);
    const viaModule = [...commands.matchAll(/step \S+ build_go_commands \S+ "\$\w+" ([\w -]+)/g)].flatMap((m) => m[1]!.trim().split(' '));
    expect(commands).toContain('for cmd in "$@"; do verify_and_link "$cmd" "$out/$cmd"; done');
    linked.push(...viaModule);
    expect(new Set(linked)).toEqual(new Set(Object.keys(TOOL_PINS)));
    expect(commands).not.toMatch(/ln -sf "\$out\/(?!compose-check)/);
  });

  it('builds no AGPL module (Grafana, Loki, Tempo, MinIO)', () => {
    expect(commands).not.toMatch(/github\.com\/(grafana\/(loki|grafana|tempo)|minio\/minio)/);
  });

  it('maps a Prometheus release to its Go module version', () => {
    expect(prometheusModuleVersion('3.15.0')).toBe('v0.315.0');
    expect(prometheusModuleVersion('v3.5.2')).toBe('v0.305.2');
    expect(() => prometheusModuleVersion('latest')).toThrow('not a Prometheus release');
  });
});
