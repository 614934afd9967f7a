/** The demo's settings, all from the environment. */
export interface DemoConfig {
  /** `PORT`, default 8080 (0 picks a free port; the startup log line says which). */
  readonly port: number;
  /** `HOST`, default 0.0.0.0. */
  readonly host: string;
  /** `DEMO_LOAD_RPS`: requests per second the built-in load loop sends to the demo itself; 0 (default) = off. */
  readonly loadRps: number;
  /** `DEMO_ERROR_RATE`: share of `/api/flaky` requests that fail, default 0.2. */
  readonly errorRate: number;
  /** Tracing export starts when an OTLP endpoint variable is set (or `DEMO_TRACING=1`). */
  readonly tracing: boolean;
  /** Log export starts when an OTLP endpoint variable is set (or `DEMO_LOG_EXPORT=1`); OTEL_LOGS_EXPORTER=none stops it. */
  readonly logExport: boolean;
}

function num(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`${name} must be a number between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export function loadConfig(): DemoConfig {
  return {
    port: num('PORT', 8080, 0, 65535),
    host: process.env.HOST || '0.0.0.0',
    loadRps: num('DEMO_LOAD_RPS', 0, 0, 1000),
    errorRate: num('DEMO_ERROR_RATE', 0.2, 0, 1),
    tracing:
      process.env.DEMO_TRACING === '1' ||
      Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
    logExport:
      process.env.DEMO_LOG_EXPORT === '1' ||
      Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT),
  };
}
