import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeLogs, decodeTraces, type DecodedLogRecord, type DecodedSpan } from './otlp-proto';

/**
 * In-test stand-ins for what does not run on this machine (Tempo, Loki: AGPL programs, never built here), each
 * listening on 127.0.0.1 at the port the rendered configs name for the real thing:
 *
 * - Tempo's OTLP gRPC receiver: a minimal HTTP/2 (h2c) server implementing the unary
 *   `opentelemetry.proto.collector.trace.v1.TraceService/Export` call — a 5-byte length-prefixed message in,
 *   an empty `ExportTraceServiceResponse` and `grpc-status: 0` trailers out — which is what the collector's
 *   `otlp_grpc` exporter speaks;
 * - Loki's native OTLP endpoint, `POST /otlp/v1/logs` on its HTTP port (test/config/reference/loki-3.7.8.json):
 *   an OTLP/HTTP protobuf `ExportLogsServiceRequest` in (gzip or not), an empty `ExportLogsServiceResponse` out,
 *   which is what the collector's `otlp_http` exporter speaks; every other path is a 404, so Prometheus finds the
 *   loki target down, as it finds tempo's;
 * - the webhook endpoints Alertmanager's receivers post to (`POST /<receiver>`).
 *
 * They keep what they receive, decoded, for the assertions.
 */

export interface Closable {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server | Http2Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server | Http2Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// ------------------------------------------------------------------------------------------------- Tempo (gRPC)

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface TempoStandIn extends Closable {
  readonly spans: DecodedSpan[];
  /** Export calls received, and problems decoding them (must stay empty). */
  readonly calls: { at: number; path: string; encoding: string | undefined; spans: number }[];
  readonly errors: string[];
}

/** The gRPC messages of a request body: each a compressed flag, a 4-byte big-endian length, the message. */
function grpcMessages(data: Buffer, encoding: string | undefined): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at + 5 <= data.length) {
    const compressed = data[at] === 1;
    const length = data.readUInt32BE(at + 1);
    const message = data.subarray(at + 5, at + 5 + length);
    if (compressed && encoding !== 'gzip') throw new Error(`compressed gRPC message with grpc-encoding ${encoding}`);
    out.push(compressed ? gunzipSync(message) : message);
    at += 5 + length;
  }
  if (at !== data.length) throw new Error('trailing bytes after the last gRPC message');
  return out;
}

export async function startTempoStandIn(port: number): Promise<TempoStandIn> {
  const spans: DecodedSpan[] = [];
  const calls: TempoStandIn['calls'] = [];
  const errors: string[] = [];
  const server = createHttp2Server();
  // server.close() waits for every session to end, and the collector keeps its connection open: track them.
  const sessions = new Set<import('node:http2').ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    const path = String(headers[':path'] ?? '');
    const encoding = headers['grpc-encoding'] as string | undefined;
    if (path !== TRACE_EXPORT_PATH) {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unimplemented' }, { endStream: true });
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      let status = '0';
      try {
        const decoded = grpcMessages(Buffer.concat(chunks), encoding).flatMap(decodeTraces);
        spans.push(...decoded);
        calls.push({ at: Date.now(), path, encoding, spans: decoded.length });
      } catch (error) {
        errors.push(String(error));
        status = '13'; // INTERNAL
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': status }));
      // An empty ExportTraceServiceResponse: not compressed, length 0.
      stream.end(Buffer.alloc(5));
    });
    stream.on('error', (error) => errors.push(String(error)));
  });
  const bound = await listen(server, port);
  const close = () => {
    const closed = closeServer(server);
    for (const session of sessions) session.destroy();
    return closed;
  };
  return { port: bound, spans, calls, errors, close };
}

// ------------------------------------------------------------------------------------------------- Loki (OTLP/HTTP)

export const LOKI_OTLP_PATH = '/otlp/v1/logs';

export interface LokiStandIn extends Closable {
  readonly records: DecodedLogRecord[];
  /** Export requests received, and problems decoding them (must stay empty). */
  readonly calls: { at: number; contentType: string | undefined; encoding: string | undefined; records: number }[];
  readonly errors: string[];
}

export async function startLokiStandIn(port: number): Promise<LokiStandIn> {
  const records: DecodedLogRecord[] = [];
  const calls: LokiStandIn['calls'] = [];
  const errors: string[] = [];
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== LOKI_OTLP_PATH) {
      res.writeHead(404).end();
      return;
    }
    const contentType = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    body(req)
      .then((raw) => {
        if (contentType !== 'application/x-protobuf') throw new Error(`content-type ${contentType}, not application/x-protobuf`);
        if (encoding !== undefined && encoding !== 'gzip') throw new Error(`content-encoding ${encoding}`);
        const decoded = decodeLogs(encoding === 'gzip' ? gunzipSync(raw) : raw);
        records.push(...decoded);
        calls.push({ at: Date.now(), contentType, encoding, records: decoded.length });
        // An empty ExportLogsServiceResponse.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      })
      .catch((error: unknown) => {
        errors.push(String(error));
        res.writeHead(400).end();
      });
  });
  const bound = await listen(server, port);
  return { port: bound, records, calls, errors, close: () => closeServer(server) };
}

// ------------------------------------------------------------------------------------------------- webhooks

/** What Alertmanager's webhook integration posts (version 4). */
export interface WebhookPayload {
  readonly version: string;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[];
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
}

export interface WebhookDelivery {
  /** The path the receiver's URL file named: `/pager`, `/chat`, `/watchdog`. */
  readonly path: string;
  readonly at: number;
  readonly payload: WebhookPayload;
}

export interface WebhookReceiver extends Closable {
  readonly deliveries: WebhookDelivery[];
  url(path: string): string;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const server = createServer((req, res) => {
    body(req)
      .then((raw) => {
        deliveries.push({ path: req.url ?? '', at: Date.now(), payload: JSON.parse(raw.toString('utf8')) as WebhookPayload });
        res.writeHead(200).end();
      })
      .catch(() => res.writeHead(400).end());
  });
  const port = await listen(server, 0);
  return { port, deliveries, url: (path) => `http://127.0.0.1:${port}${path}`, close: () => closeServer(server) };
}
