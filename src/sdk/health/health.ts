/**
 * Liveness and readiness. Liveness says the process is up (no dependencies: a failing database must not get
 * the pod restarted). Readiness runs the registered checks in parallel, each bounded by its timeout, and
 * fails while draining, so Kubernetes stops routing traffic before the process shuts down.
 */

export type HealthCheck = (signal: AbortSignal) => unknown;

export interface CheckOptions {
  /** How long the check may take before it counts as failed. Default 2000 ms. */
  readonly timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  readonly status: 'ok' | 'fail';
  readonly duration_seconds: number;
  readonly error?: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'fail' | 'draining';
  readonly checks: Readonly<Record<string, CheckResult>>;
}

interface Registered {
  readonly fn: HealthCheck;
  readonly timeoutMs: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function runCheck(check: Registered): Promise<CheckResult> {
  const started = process.hrtime.bigint();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${check.timeoutMs} ms`));
    }, check.timeoutMs);
    timer.unref();
  });
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    await Promise.race([Promise.resolve().then(() => check.fn(controller.signal)), timeout]);
    return { status: 'ok', duration_seconds: seconds() };
  } catch (error) {
    return { status: 'fail', duration_seconds: seconds(), error: errorText(error) };
  } finally {
    clearTimeout(timer);
  }
}

export class Health {
  private readonly checks = new Map<string, Registered>();
  private drainingSince: number | undefined;

  /** Registers (or replaces) a readiness check. A check fails by throwing, rejecting or timing out. */
  addCheck(name: string, fn: HealthCheck, options: CheckOptions = {}): this {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new RangeError(`health check "${name}": timeoutMs must be positive`);
    this.checks.set(name, { fn, timeoutMs });
    return this;
  }

  removeCheck(name: string): boolean {
    return this.checks.delete(name);
  }

  /** From now on readiness fails with status `draining` (called on SIGTERM before shutting down). */
  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  live(): HealthReport {
    return { status: 'ok', checks: {} };
  }

  async ready(): Promise<HealthReport> {
    if (this.draining) return { status: 'draining', checks: {} };
    const entries = [...this.checks];
    const results = await Promise.all(entries.map(([, check]) => runCheck(check)));
    const checks: Record<string, CheckResult> = {};
    entries.forEach(([name], i) => {
      checks[name] = results[i] as CheckResult;
    });
    if (this.draining) return { status: 'draining', checks };
    return { status: results.every((r) => r.status === 'ok') ? 'ok' : 'fail', checks };
  }
}

/** HTTP status for a report: 200 when ok, 503 otherwise. */
export function statusCodeOf(report: HealthReport): number {
  return report.status === 'ok' ? 200 : 503;
}
