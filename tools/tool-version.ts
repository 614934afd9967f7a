import { spawnSync } from 'node:child_process';

/** What a command printed, stdout then stderr (some tools, Thanos among them, print their version on stderr). */
function output(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

/**
 * The release a Go module version stands for. Prometheus publishes its Go module as v0.<major><minor>.<patch>
 * (v0.315.0 is Prometheus 3.15.0); other modules use the release version.
 */
function releaseOf(module: string, version: string): string {
  const prometheus = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(version);
  if (module === 'github.com/prometheus/prometheus' && prometheus) {
    return `${prometheus[1]}.${Number(prometheus[2])}.${prometheus[3]}`;
  }
  return version.replace(/^v/, '');
}

/**
 * The version of a tool: what `--version` prints, or, for a plain `go build` (which prints no version),
 * the version of `module` recorded in the binary's Go build info. Undefined when neither says.
 */
export function toolVersion(path: string, module: string): string | undefined {
  const printed = /version v?(\d+\.\d+\.\d+)/.exec(output(path, ['--version']));
  if (printed) return printed[1];
  const escaped = module.replace(/[.]/g, '\\.');
  const built = new RegExp(`^\\s*(?:mod|dep)\\s+${escaped}\\s+(v\\S+)`, 'm').exec(output('go', ['version', '-m', path]));
  return built ? releaseOf(module, built[1]!) : undefined;
}

/** Why a tool at `path` will not do (not the pinned release, or no version found), or undefined when it will. */
export function versionMismatch(path: string, release: string, module: string): string | undefined {
  const found = toolVersion(path, module);
  if (found === undefined) return `cannot tell the version of ${path} (expected ${release})`;
  return found === release ? undefined : `${path} is version ${found}, obskit pins ${release}`;
}
