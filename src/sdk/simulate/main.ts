import { startSimulationFromEnv } from './start';

/**
 * The simulator alone: `SIMULATE=zephyr-api,galway npm run simulate` (tsx) or `node <compiled>/sdk/simulate/main.js`
 * (compose). Plays each named service of the catalog synth wrote, on its port, until SIGTERM/SIGINT. See start.ts.
 */
async function main(): Promise<void> {
  if (!process.env.SIMULATE?.trim()) throw new Error('SIMULATE must name the services to play (comma-separated, or "all")');
  const running = await startSimulationFromEnv();
  const first = running[0]!;
  first.telemetry.handleShutdown({ servers: running.map((r) => r.server), hooks: running.slice(1).map((r) => () => r.stop()) });
  for (const r of running) {
    r.telemetry.logger.info({ port: (r.server.address() as { port: number }).port, metrics: r.service.metrics.length }, 'simulating');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
