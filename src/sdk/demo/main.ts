import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelemetry, startLogExport, startTracing } from '..';
import { startSimulationFromEnv } from '../simulate/start';
import { createDemoApp } from './app';
import { loadConfig } from './config';
import { startLoadLoop, type LoadLoop } from './load';

/**
 * The demo service: `npm run demo` (tsx) or `node <compiled>/sdk/demo/main.js`.
 * Env: PORT (8080), HOST, DEMO_LOAD_RPS (0 = no built-in load), DEMO_ERROR_RATE, SHUTDOWN_DRAIN_DELAY_MS,
 * LOG_LEVEL, SIMULATE (services of the spec to simulate beside the demo, see ../simulate/start.ts), and the standard OTEL_* variables (trace and log export start when OTEL_EXPORTER_OTLP_ENDPOINT is set).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const serviceName = process.env.OTEL_SERVICE_NAME || 'demo';
  const telemetry = createTelemetry({ serviceName, http: { accessLog: 'all' } });
  const tracing = config.tracing
    ? await startTracing({ serviceName, logger: telemetry.logger }).catch((error: unknown) => {
        // e.g. the optional OpenTelemetry SDK packages are not installed: serve without trace export
        telemetry.logger.warn({ err: error }, 'tracing export not started');
        return undefined;
      })
    : undefined;
  const logExport = config.logExport
    ? await startLogExport({ serviceName, logger: telemetry.logger }).catch((error: unknown) => {
        telemetry.logger.warn({ err: error }, 'log export not started');
        return undefined;
      })
    : undefined;

  let port = config.port;
  const server = createServer(createDemoApp(telemetry, { errorRate: config.errorRate, selfUrl: () => `http://127.0.0.1:${port}` }));
  server.keepAliveTimeout = 65_000;
  telemetry.health.addCheck('orders-store', () => new Promise((resolve) => setTimeout(resolve, 5)), { timeoutMs: 1000 });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let load: LoadLoop | undefined;
  if (config.loadRps > 0) load = startLoadLoop(port, config.loadRps);
  const simulated = await startSimulationFromEnv();
  telemetry.handleShutdown({
    servers: [server, ...simulated.map((s) => s.server)],
    onDrain: [() => load?.stop()],
    hooks: [() => tracing?.shutdown(), () => logExport?.shutdown(), ...simulated.map((s) => () => s.stop())],
  });
  telemetry.logger.info(
    { port, load_rps: config.loadRps, tracing: Boolean(tracing?.enabled), log_export: Boolean(logExport?.enabled), simulated: simulated.map((s) => `${s.service.name}:${(s.server.address() as AddressInfo).port}`), node_version: process.versions.node },
    'demo listening',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
