import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { CHECKOV_VERSION } from '../../src/charts/checkov-exceptions';
import { TOOL_PINS, type ToolPin } from '../../tools/pins';
import { versionMismatch } from '../../tools/tool-version';
import { recordSkip } from './skips';

/**
 * The real consumers our tests hand artifacts to. Each is looked up in order: its env var, the tool
 * cache that `npm run tools` fills (outside the repo), then PATH.
 */
interface ToolInfo {
  readonly env: string;
  readonly install: string;
  /** A tool that must be the pinned release: an older promtool rejects keys the pinned Prometheus knows. */
  readonly pinned?: ToolPin;
  /** A tool that is not a Go build: the exact version its `--version` must print. */
  readonly prints?: string;
  /** Where its installer puts it, looked at after the tool cache. */
  readonly installedAt?: () => string;
}

const BUILD = 'npm run tools';

export const TOOLS = {
  promtool: { env: 'OBSKIT_PROMTOOL', install: `${BUILD} (builds promtool at the pinned Prometheus version)`, pinned: TOOL_PINS.promtool },
  prometheus: { env: 'OBSKIT_PROMETHEUS', install: `${BUILD} (builds Prometheus at the pinned version)`, pinned: TOOL_PINS.prometheus },
  amtool: { env: 'OBSKIT_AMTOOL', install: `${BUILD} (builds amtool at the pinned Alertmanager version)`, pinned: TOOL_PINS.amtool },
  alertmanager: { env: 'OBSKIT_ALERTMANAGER', install: `${BUILD} (builds Alertmanager at the pinned version)`, pinned: TOOL_PINS.alertmanager },
  blackbox_exporter: { env: 'OBSKIT_BLACKBOX_EXPORTER', install: `${BUILD} (builds the blackbox exporter at the pinned version)`, pinned: TOOL_PINS.blackbox_exporter },
  otelcol: { env: 'OBSKIT_OTELCOL', install: `${BUILD} (builds the collector with the official builder)`, pinned: TOOL_PINS.otelcol },
  'compose-check': { env: 'OBSKIT_COMPOSE_CHECK', install: `${BUILD} (builds tools/compose-check with compose-go)` },
  'kube-score': { env: 'OBSKIT_KUBE_SCORE', install: `${BUILD} (go installs kube-score)`, pinned: TOOL_PINS['kube-score'] },
  etcd: { env: 'OBSKIT_ETCD', install: `${BUILD} (builds etcd from its Go module)`, pinned: TOOL_PINS.etcd },
  'kube-apiserver': {
    env: 'OBSKIT_KUBE_APISERVER',
    install: `${BUILD} (builds kube-apiserver from k8s.io/kubernetes; 10-25 minutes the first time)`,
    pinned: TOOL_PINS['kube-apiserver'],
  },
  kubectl: { env: 'OBSKIT_KUBECTL', install: `${BUILD} (builds kubectl with kube-apiserver)`, pinned: TOOL_PINS.kubectl },
  checkov: {
    env: 'OBSKIT_CHECKOV',
    install: 'bash tools/checkov/install.sh (pip installs the pinned checkov into a virtualenv under ~/.cache/obskit; needs Python 3.11+)',
    prints: CHECKOV_VERSION,
    installedAt: () => join(checkovVenv(), 'bin', 'checkov'),
  },
} as const satisfies Record<string, ToolInfo>;

export type ToolName = keyof typeof TOOLS;

/** The virtualenv tools/checkov/install.sh installs into: named after the hash of the requirements it installs. */
export function checkovVenv(): string {
  const requirements = readFileSync(resolve(__dirname, '../../tools/checkov/requirements.txt'));
  const hash = createHash('sha256').update(requirements).digest('hex').slice(0, 16);
  return join(process.env.OBSKIT_CACHE_DIR ?? join(homedir(), '.cache', 'obskit'), `venv-${hash}`);
}

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
  const installed = (TOOLS[name] as ToolInfo).installedAt?.();
  if (installed !== undefined && existsSync(installed)) return installed;
  return onPath(name);
}

function printedVersion(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
  } catch {
    return '';
  }
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
    const { pinned, prints } = TOOLS[name] as ToolInfo;
    if (path === undefined) problems.set(name, 'not found');
    else if (pinned) {
      const mismatch = versionMismatch(path, pinned.release, pinned.module);
      if (mismatch) problems.set(name, mismatch);
    } else if (prints !== undefined) {
      const found = printedVersion(path);
      if (found !== prints) problems.set(name, `${path} is version ${found || '(none printed)'}, obskit pins ${prints}`);
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
  recordSkip({
    suite: title,
    file: expect.getState().testPath ?? '(unknown file)',
    tools: missing.map((n) => ({ name: n, problem: problems.get(n)!, env: TOOLS[n].env, install: TOOLS[n].install })),
  });
  describe.skip(`${title} [skipped: missing ${missing.join(', ')}]`, () => body(found as Record<N, string>));
}

/**
 * How long one tool run may take before it counts as hung: generous, because a promtool scenario file evaluates
 * days of samples and the machine may be shared (a hang guard, not a timing assertion).
 */
export const TOOL_RUN_TIMEOUT_MS = 300_000;

/** Runs a tool; resolves with its combined output, rejects with it when the exit code is non-zero. */
export function runTool(path: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  try {
    return execFileSync(path, args, {
      cwd: options.cwd,
      input: options.input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: TOOL_RUN_TIMEOUT_MS,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; status?: number | null; signal?: string | null };
    const ended = e.status === null && e.signal ? `was stopped (${e.signal}) after ${TOOL_RUN_TIMEOUT_MS / 1000} s or by a signal` : `exited ${e.status}`;
    throw new Error(`${path} ${args.join(' ')} ${ended}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
