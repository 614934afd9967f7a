import { spawnSync } from 'node:child_process';

/**
 * The environment for an npm child: ours, minus what an enclosing `npm test` exported about *this* project
 * (npm_package_*, npm_lifecycle_*, its local prefix), so an npm run in a temporary project acts on that project.
 * The cache, registry and user config stay, so installs come from the local npm cache where they can.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k.startsWith('npm_') && !k.startsWith('npm_config_')) continue;
    if (/^npm_config_(local_prefix|prefix|call|workspaces?|include_workspace_root|global)$/.test(k)) continue;
    env[key] = value;
  }
  return env;
}

/** Runs npm in `cwd`; throws with its output when it fails. */
export function npm(args: readonly string[], cwd: string, timeoutMs = 180_000): string {
  const out = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, env: npmEnv(), encoding: 'utf8', timeout: timeoutMs });
  if (out.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed (${out.status ?? out.signal}):\n${out.stdout}\n${out.stderr}`);
  return out.stdout;
}
