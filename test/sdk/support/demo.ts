import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { jsonLines, REPO, spawnTs } from './child';

export interface RunningDemo {
  readonly child: ChildProcess;
  readonly port: number;
  /** JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code once the process ended (kills it after `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts the demo service (src/sdk/demo/main.ts) on a free loopback port. */
export function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const child = spawnTs(join(REPO, 'src', 'sdk', 'demo', 'main.ts'), {
    env: { PORT: '0', HOST: '127.0.0.1', DEMO_LOAD_RPS: '0', OTEL_EXPORTER_OTLP_ENDPOINT: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not start: ${stdout}${stderr}`));
    }, 30_000);
    child.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${stdout}${stderr}`)));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const ready = jsonLines(stdout).find((l) => l.msg === 'demo listening');
      if (!ready) return;
      clearTimeout(timer);
      const demo: RunningDemo = {
        child,
        port: ready.port as number,
        logs: () => jsonLines(stdout),
        exited: (timeoutMs = 20_000) => {
          const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          return exit.finally(() => clearTimeout(t));
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exit;
        },
      };
      resolve(demo);
    });
  });
}
