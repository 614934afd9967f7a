import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Endpoints } from './endpoints';
import type { HttpRecorder, RequestState } from './recorder';
import { matchRoutes, type RouteResolver } from './route';

export interface HttpKit {
  readonly recorder: HttpRecorder;
  readonly endpoints: Endpoints;
  readonly logger: Logger;
}

export interface NodeHandlerOptions {
  /** Route templates (`/users/:id`, `/static/*`); a request matching none is recorded as `_unmatched`. */
  readonly routes?: readonly string[];
  /** Or a function naming the route template of a request (undefined → `_unmatched`). */
  readonly route?: RouteResolver;
  /** Answer `/metrics`, `/health/live`, `/health/ready` before the handler. Default true. */
  readonly serveEndpoints?: boolean;
}

/**
 * Records the request when its response closes (after it finished, or when the client went away: then it
 * counts as aborted). `close` is emitted once per response.
 */
export function recordOnClose(kit: HttpKit, res: ServerResponse, state: RequestState, route: () => string | undefined): void {
  res.on('close', () => kit.recorder.end(state, route(), res.statusCode, !res.writableFinished));
}

/**
 * Wraps a node:http request listener: serves the SDK's endpoints, records duration/active requests by route
 * template, continues the caller's trace, and runs the handler with the request's log/trace context.
 * A handler that throws synchronously gets a 500 (and an error log line) instead of crashing the process.
 */
export function instrumentNodeHandler(kit: HttpKit, handler: RequestListener, options: NodeHandlerOptions = {}): RequestListener {
  const resolve: RouteResolver = options.route ?? (options.routes ? matchRoutes(options.routes) : () => undefined);
  const serveEndpoints = options.serveEndpoints !== false;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (serveEndpoints && kit.endpoints.handle(req, res)) return;
    const state = kit.recorder.begin(req, res);
    if (!state) {
      handler(req, res);
      return;
    }
    const route = resolve(req, state.path);
    res.on('close', () => kit.recorder.end(state, route, res.statusCode, !res.writableFinished));
    try {
      kit.recorder.run(state, () => handler(req, res));
    } catch (error) {
      kit.recorder.run(state, () => kit.logger.error({ err: error }, 'request handler threw'));
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else {
        res.destroy();
      }
    }
  };
}
