import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Endpoints } from './endpoints';

export interface MetricsServerOptions {
  /** Default `METRICS_PORT` or 9464 (the OpenTelemetry Prometheus exporter's port); 0 picks a free one. */
  readonly port?: number;
  /** Default `0.0.0.0`. */
  readonly host?: string;
}

/** Serves the SDK's endpoints (`/metrics`, health) on a port of their own; everything else is 404. */
export function startMetricsServer(endpoints: Endpoints, options: MetricsServerOptions = {}): Promise<Server> {
  const port = options.port ?? (process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : 9464);
  const server = createServer((req, res) => {
    if (endpoints.handle(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
