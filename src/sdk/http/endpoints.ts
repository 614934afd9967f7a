import type { IncomingMessage, ServerResponse } from 'node:http';
import { statusCodeOf, type Health } from '../health/health';
import { CONTENT_TYPES, type ExpositionFormat } from '../runtime/exposition';
import { negotiateFormat } from '../runtime/negotiate';

export interface EndpointPaths {
  readonly metrics: string;
  readonly live: string;
  readonly ready: string;
}

export const DEFAULT_PATHS: EndpointPaths = { metrics: '/metrics', live: '/health/live', ready: '/health/ready' };

export type EndpointKind = keyof EndpointPaths;

export interface EndpointResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface EndpointSources {
  render(format: ExpositionFormat): Promise<string>;
  readonly health: Health;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Serves `/metrics` (content-negotiated), `/health/live` and `/health/ready`. */
export class Endpoints {
  private readonly byPath: ReadonlyMap<string, EndpointKind>;

  constructor(
    private readonly sources: EndpointSources,
    readonly paths: EndpointPaths = DEFAULT_PATHS,
  ) {
    this.byPath = new Map(Object.entries(paths).map(([kind, path]) => [path, kind as EndpointKind]));
  }

  /** Which endpoint a request path is, if any. */
  match(path: string): EndpointKind | undefined {
    return this.byPath.get(path);
  }

  async respond(kind: EndpointKind, accept: string | undefined): Promise<EndpointResponse> {
    if (kind === 'metrics') {
      const format = negotiateFormat(accept);
      return { status: 200, contentType: CONTENT_TYPES[format], body: await this.sources.render(format) };
    }
    const report = kind === 'live' ? this.sources.health.live() : await this.sources.health.ready();
    return { status: statusCodeOf(report), contentType: JSON_TYPE, body: JSON.stringify(report) };
  }

  /** For node:http style servers: answers the request and returns true when it is one of the endpoints. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const kind = this.match(pathOf(req.url));
    if (!kind) return false;
    this.respond(kind, req.headers.accept).then(
      (r) => {
        res.writeHead(r.status, { 'Content-Type': r.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : r.body);
      },
      (error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
    return true;
  }
}
