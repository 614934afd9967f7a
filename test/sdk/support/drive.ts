import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Drives a node:http request listener with minimal in-memory request/response objects, so millions of
 * requests run in seconds without sockets. Only what the SDK touches is implemented.
 */
export function drive(listener: RequestListener, method: string, url: string, status = 200, headers: Record<string, string> = {}): void {
  let onClose: (() => void) | undefined;
  const req = { method, url, headers, socket: {} } as unknown as IncomingMessage;
  const res = {
    statusCode: status,
    headersSent: false,
    writableFinished: true,
    setHeader() {},
    on(event: string, fn: () => void) {
      if (event === 'close') onClose = fn;
      return res;
    },
  } as unknown as ServerResponse;
  listener(req, res);
  onClose?.();
}
