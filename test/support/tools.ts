import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KUBE_SCORE_VERSION } from '../../src/charts/policy-exceptions';
import { versions } from '../../src/spec/versions';
import { versionMismatch } from './tool-version';

/**
 * The real consumers our tests hand artifacts to. Each is looked up in order: its env var, the tool
 * cache that `npm run tools` fills (outside the repo), then PATH.
 */
interface ToolInfo {
  readonly env: string;
  readonly install: string;
  /** A tool that must be the pinned release: an older promtool rejects keys the pinned Prometheus knows. */
  readonly pinned?: { readonly tag: string; readonly module: string };
}

const PROMETHEUS = { tag: versions.prometheus.tag, module: 'github.com/prometheus/prometheus' };
const ALERTMANAGER = { tag: versions.alertmanager.tag, module: 'github.com/prometheus/alertmanager' };

export const TOOLS = {
  promtool: { env: 'OBSKIT_PROMTOOL', install: 'npm run tools (builds promtool at the pinned Prometheus version)', pinned: PROMETHEUS },
  prometheus: { env: 'OBSKIT_PROMETHEUS', install: 'npm run tools (builds Prometheus at the pinned version)', pinned: PROMETHEUS },
  amtool: { env: 'OBSKIT_AMTOOL', install: 'npm run tools (builds amtool at the pinned Alertmanager version)', pinned: ALERTMANAGER },
  alertmanager: { env: 'OBSKIT_ALERTMANAGER', install: 'npm run tools (builds Alertmanager at the pinned version)', pinned: ALERTMANAGER },
  otelcol: {
    env: 'OBSKIT_OTELCOL',
    install: 'npm run tools (builds the collector with the official builder)',
    pinned: { tag: versions.collector.tag, module: 'go.opentelemetry.io/collector/otelcol' },
  },
  loki: {
    env: 'OBSKIT_LOKI',
    install: 'npm run tools (builds Loki at the pinned version)',
    pinned: { tag: versions.loki.tag, module: 'github.com/grafana/loki/v3' },
  },
  'compose-check': { env: 'OBSKIT_COMPOSE_CHECK', install: 'npm run tools (builds tools/compose-check with compose-go)' },
  'kube-score': {
    env: 'OBSKIT_KUBE_SCORE',
    install: 'npm run tools (go installs kube-score)',
    pinned: { tag: KUBE_SCORE_VERSION, module: 'github.com/zegl/kube-score' },
  },
} as const satisfies Record<string, ToolInfo>;

export type ToolName = keyof typeof TOOLS;

export function toolsDir(): string {
  return process.env.OBSKIT_TOOLS_DIR ?? join(homedir(), '.cache', 'obskit', 'tools');
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Absolute path of a tool, or undefined when it is not installed. */
export function findTool(name: ToolName): string | undefined {
  const fromEnv = process.env[TOOLS[name].env];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const cached = join(toolsDir(), 'bin', name);
  if (existsSync(cached)) return cached;
  return onPath(name);
}

/** In CI (OBSKIT_REQUIRE_TOOLS=1) a missing tool fails the suite; elsewhere the suite is skipped, loudly. */
export function requireTools(): boolean {
  return process.env.OBSKIT_REQUIRE_TOOLS === '1';
}

/**
 * `describe` for a suite that needs real binaries. Hands the suite the tools' paths.
 */
export function describeWithTools<N extends ToolName>(
  title: string,
  names: readonly N[],
  body: (tools: Record<N, string>) => void,
): void {
  const found = Object.fromEntries(names.map((n) => [n, findTool(n)])) as Record<N, string | undefined>;
  const problems = new Map<N, string>();
  for (const name of names) {
    const path = found[name];
    const pinned = (TOOLS[name] as ToolInfo).pinned;
    if (path === undefined) problems.set(name, 'not found');
    else if (pinned) {
      const mismatch = versionMismatch(path, pinned.tag, pinned.module);
      if (mismatch) problems.set(name, mismatch);
    }
  }
  const missing = [...problems.keys()];
  if (missing.length === 0) {
    describe(title, () => body(found as Record<N, string>));
    return;
  }
  const how = missing
    .map((n) => `${n}: ${problems.get(n)} (set ${TOOLS[n].env}, or ${TOOLS[n].install})`)
    .join('; ');
  if (requireTools()) {
    describe(title, () => {
      it('has its tools installed', () => {
        throw new Error(`OBSKIT_REQUIRE_TOOLS=1 but these tools are missing or not the pinned version: ${how}`);
      });
    });
    return;
  }
  process.stderr.write(`SKIPPED "${title}": missing ${how}\n`);
  describe.skip(`${title} [skipped: missing ${missing.join(', ')}]`, () => body(found as Record<N, string>));
}

/** Runs a tool; resolves with its combined output, rejects with it when the exit code is non-zero. */
export function runTool(path: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  try {
    return execFileSync(path, args, {
      cwd: options.cwd,
      input: options.input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; status?: number };
    throw new Error(`${path} ${args.join(' ')} exited ${e.status}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
