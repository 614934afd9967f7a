import type { IncomingMessage } from 'node:http';

/**
 * Route templates for plain node:http, which has no router: `/users/:id` matches one segment per parameter,
 * a trailing `/*` matches the rest of the path. The template (never the raw URL) becomes `http_route`.
 */
export type RouteResolver = (req: IncomingMessage, path: string) => string | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(template: string): RegExp {
  if (!template.startsWith('/')) throw new Error(`route template "${template}" must start with "/"`);
  const segments = template.split('/').slice(1);
  const parts = segments.map((segment, i) => {
    if (segment === '*' && i === segments.length - 1) return '(?:/.*)?';
    if (segment.startsWith(':') && segment.length > 1) return '/[^/]+';
    return `/${escapeRegExp(segment)}`;
  });
  const body = template === '/' ? '' : parts.join('');
  return new RegExp(`^${body}/?$`);
}

/** Compiles templates into a resolver; the first template that matches wins, none → undefined. */
export function matchRoutes(templates: readonly string[]): RouteResolver {
  const compiled = templates.map((t) => [compile(t), t] as const);
  return (_req, path) => {
    for (const [re, template] of compiled) if (re.test(path)) return template;
    return undefined;
  };
}
