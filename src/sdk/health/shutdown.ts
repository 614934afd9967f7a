import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Health } from './health';

export interface ShutdownOptions {
  /** Servers to close after draining. */
  readonly servers?: readonly Server[];
  /**
   * How long readiness fails before servers close, so endpoints controllers and load balancers stop sending
   * traffic. Default `SHUTDOWN_DRAIN_DELAY_MS` or 5000 ms (set it at least to the readiness probe period).
   */
  readonly drainDelayMs?: number;
  /** Hard limit for closing servers and running hooks; then the process exits with code 1. Default 10000 ms. */
  readonly timeoutMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  /** Run as soon as draining starts (stop background producers, e.g. pollers or load generators), in order. */
  readonly onDrain?: readonly (() => unknown)[];
  /** Run after servers closed (flush traces, close pools), in order. */
  readonly hooks?: readonly (() => unknown)[];
  /** Called at the end; default process.exit. */
  readonly exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** Starts the shutdown sequence (what a signal does); resolves when it is done. */
  trigger(reason?: string): Promise<void>;
  /** Removes the signal listeners. */
  dispose(): void;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

async function runAll(hooks: readonly (() => unknown)[] | undefined, logger: Logger): Promise<void> {
  for (const hook of hooks ?? []) {
    try {
      await hook();
    } catch (error) {
      logger.error({ err: error }, 'shutdown: hook failed');
    }
  }
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: readiness drops at once (503 `draining`), traffic drains for
 * `drainDelayMs`, servers stop accepting and finish in-flight requests, hooks run, the process exits.
 * A second signal exits at once; a stuck shutdown exits with code 1 after `timeoutMs`.
 */
export function handleShutdown(health: Health, logger: Logger, options: ShutdownOptions = {}): ShutdownHandle {
  const drainDelayMs = options.drainDelayMs ?? envNumber('SHUTDOWN_DRAIN_DELAY_MS') ?? 5000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exitFn = options.exit ?? ((code: number) => process.exit(code));
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    exitFn(code);
  };
  let running: Promise<void> | undefined;

  const sequence = async (reason: string): Promise<void> => {
    health.startDraining();
    logger.info({ reason, drain_delay_ms: drainDelayMs }, 'shutdown: readiness failing, draining traffic');
    const hardStop = setTimeout(() => {
      logger.error({ timeout_ms: timeoutMs }, 'shutdown: timed out, exiting');
      exit(1);
    }, drainDelayMs + timeoutMs);
    hardStop.unref();
    await runAll(options.onDrain, logger);
    await delay(drainDelayMs);
    const servers = options.servers ?? [];
    const closing = Promise.all(servers.map(closeServer));
    const forceClose = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), Math.max(timeoutMs / 2, 1));
    forceClose.unref();
    await closing;
    clearTimeout(forceClose);
    await runAll(options.hooks, logger);
    clearTimeout(hardStop);
    if (exited) return;
    logger.info('shutdown: done');
    exit(0);
  };

  const trigger = (reason = 'requested'): Promise<void> => {
    running ??= sequence(reason);
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'shutdown: second signal, exiting now');
      exit(1);
      return;
    }
    void trigger(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    trigger,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
