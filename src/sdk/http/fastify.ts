import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointKind } from './endpoints';
import { recordOnClose, type HttpKit } from './node';

/** The parts of Fastify the plugin uses (Fastify itself is never imported). */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly headers: IncomingMessage['headers'];
  readonly routeOptions?: { readonly url?: string };
}

export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}

export interface FastifyInstanceLike {
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: (error?: Error) => void) => void,
  ): unknown;
  get(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

export interface FastifyOptions {
  /** Register `/metrics`, `/health/live`, `/health/ready` routes. Default true. */
  readonly serveEndpoints?: boolean;
}

export type FastifyPlugin = ((app: FastifyInstanceLike, options: FastifyOptions, done: (error?: Error) => void) => void) & {
  readonly [key: symbol]: unknown;
};

/**
 * A Fastify plugin: `app.register(telemetry.fastify)`. Not encapsulated (like fastify-plugin), so its hook
 * sees every route. The route label is Fastify's route template (`request.routeOptions.url`).
 */
export function fastifyPlugin(kit: HttpKit): FastifyPlugin {
  const plugin = (app: FastifyInstanceLike, options: FastifyOptions, done: (error?: Error) => void) => {
    app.addHook('onRequest', (request, reply, next) => {
      const state = kit.recorder.begin(request.raw, reply.raw);
      if (!state) return next();
      recordOnClose(kit, reply.raw, state, () => request.routeOptions?.url);
      kit.recorder.run(state, () => next());
    });
    if (options?.serveEndpoints !== false) {
      for (const kind of ['metrics', 'live', 'ready'] as EndpointKind[]) {
        app.get(kit.endpoints.paths[kind], async (request, reply) => {
          const r = await kit.endpoints.respond(kind, request.headers.accept);
          return reply.code(r.status).header('content-type', r.contentType).header('cache-control', 'no-store').send(r.body);
        });
      }
    }
    done();
  };
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'obskit',
  });
}
