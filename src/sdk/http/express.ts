import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordOnClose, type HttpKit } from './node';

/** The parts of an Express request the middleware reads (Express itself is never imported). */
export interface ExpressRequestLike extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

export type ExpressMiddleware = (req: ExpressRequestLike, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface ExpressOptions {
  /** Answer `/metrics`, `/health/live`, `/health/ready` in the middleware. Default true. */
  readonly serveEndpoints?: boolean;
}

/** The matched route template, mount path included (`/api` + `/orders/:id`); undefined when no route matched. */
export function expressRoute(req: ExpressRequestLike): string | undefined {
  const path = req.route?.path;
  if (path === undefined || path === null) return undefined;
  const template = Array.isArray(path) ? path.map(String).join('|') : String(path);
  return `${req.baseUrl ?? ''}${template}` || '/';
}

/** Express middleware: `app.use(telemetry.express())` before your routes. */
export function expressMiddleware(kit: HttpKit, options: ExpressOptions = {}): ExpressMiddleware {
  const serveEndpoints = options.serveEndpoints !== false;
  return (req, res, next) => {
    if (serveEndpoints && kit.endpoints.handle(req, res)) return;
    const state = kit.recorder.begin(req, res);
    if (!state) return next();
    recordOnClose(kit, res, state, () => expressRoute(req));
    kit.recorder.run(state, () => next());
  };
}
