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
  /** Log records of every received OTLP/JSON logs export, with their resource and scope. */
  logs(): ReceivedLogRecord[];
}

export interface ReceivedLogRecord {
  readonly path: string;
  readonly scope: string | undefined;
  readonly timeUnixNano: string | undefined;
  readonly severityNumber: number | undefined;
  readonly severityText: string | undefined;
  readonly body: unknown;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: { key: string; value: AnyValue }[] };
}

function plain(value: AnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.kvlistValue) return flatten(value.kvlistValue.values);
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue;
}

function flatten(attrs: { key: string; value: AnyValue }[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attrs) out[key] = plain(value);
  return out;
}

interface JsonLogs {
  resourceLogs?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeLogs?: {
      scope?: { name?: string };
      logRecords?: {
        timeUnixNano?: string;
        severityNumber?: number;
        severityText?: string;
        body?: AnyValue;
        traceId?: string;
        spanId?: string;
        attributes?: { key: string; value: AnyValue }[];
      }[];
    }[];
  }[];
}

/** An OTLP/HTTP endpoint on loopback that records requests and answers with `status` (after `delayMs`). */
export async function startCollector(status: number, delayMs = 0): Promise<FakeCollector> {
  const requests: ExportRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const reply = () => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end('{}');
      };
      if (delayMs > 0) setTimeout(reply, delayMs).unref();
      else reply();
    });
  });
  const port = await listen(server);
  return {
    server,
    port,
    requests,
    logs: () =>
      requests
        .filter((r) => r.body.includes('"resourceLogs"'))
        .flatMap((r) =>
          ((JSON.parse(r.body) as JsonLogs).resourceLogs ?? []).flatMap((rl) =>
            (rl.scopeLogs ?? []).flatMap((sl) =>
              (sl.logRecords ?? []).map((l) => ({
                path: r.path,
                scope: sl.scope?.name,
                timeUnixNano: l.timeUnixNano,
                severityNumber: l.severityNumber,
                severityText: l.severityText,
                body: plain(l.body),
                traceId: l.traceId || undefined,
                spanId: l.spanId || undefined,
                attributes: flatten(l.attributes),
                resource: flatten(rl.resource?.attributes),
              })),
            ),
          ),
        ),
    spans: () =>
      requests
        .filter((r) => r.body.includes('"resourceSpans"'))
        .flatMap((r) => {
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
