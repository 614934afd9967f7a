import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listen } from './net';

export interface ExportRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeCollector {
  readonly server: Server;
  readonly port: number;
  readonly requests: ExportRequest[];
  /** Spans of every received OTLP/JSON export, with their resource attributes flattened. */
  spans(): { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown>; resource: Record<string, unknown> }[];
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}

function flatten(attrs: { key: string; value: AnyValue }[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attrs) out[key] = value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
  return out;
}

/** An OTLP/HTTP endpoint on loopback that records requests and answers with `status`. */
export async function startCollector(status: number): Promise<FakeCollector> {
  const requests: ExportRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await listen(server);
  return {
    server,
    port,
    requests,
    spans: () =>
      requests.flatMap((r) => {
        const parsed = JSON.parse(r.body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: AnyValue }[] };
            scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: { key: string; value: AnyValue }[] }[] }[];
          }[];
        };
        return parsed.resourceSpans.flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) =>
            ss.spans.map((s) => ({
              name: s.name,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId,
              attributes: flatten(s.attributes),
              resource: flatten(rs.resource.attributes),
            })),
          ),
        );
      }),
  };
}
