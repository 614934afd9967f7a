import { KNOWN_HTTP_METHODS, OTHER_METHOD } from '../catalog/http';

const KNOWN: ReadonlySet<string> = new Set(KNOWN_HTTP_METHODS);

/** The `http_request_method` label value: a well-known method as sent, anything else `_OTHER` (semconv). */
export function normalizeMethod(method: string | undefined): string {
  return method !== undefined && KNOWN.has(method) ? method : OTHER_METHOD;
}
