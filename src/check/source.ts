import { readFile } from 'node:fs/promises';
import { formatOf, type ExpositionFormat } from './exposition';

/** Where the exposition comes from could not be read: the check cannot start (exit 2). */
export class SourceError extends Error {}

export interface Fetched {
  readonly text: string;
  readonly format: ExpositionFormat;
  /** The URL or file, as the report names it. */
  readonly where: string;
}

/** Prometheus's own preference when it scrapes: OpenMetrics (so `# UNIT` is there to check), else the text format. */
const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export const isUrl = (target: string) => /^https?:\/\//i.test(target);

/** GET a running service's metrics endpoint, giving up after `timeoutMs`. */
export async function fetchExposition(url: string, timeoutMs: number): Promise<Fetched> {
  let response: Response;
  let text: string;
  try {
    // The timeout covers the whole exchange, the body included.
    response = await fetch(url, { headers: { accept: ACCEPT }, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    text = await response.text();
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new SourceError(`${url} did not answer within ${timeoutMs} ms (--timeout to wait longer)`);
    const why = e.cause?.code === 'ECONNREFUSED' ? 'connection refused (is the service running, on that port?)' : (e.cause?.message ?? e.message);
    throw new SourceError(`cannot reach ${url}: ${why}`);
  }
  if (!response.ok) throw new SourceError(`${url} answered HTTP ${response.status} ${response.statusText}; expected 200 with the metrics`);
  return { text, format: formatOf(response.headers.get('content-type')), where: url };
}

/** A saved exposition (`curl -s …/metrics > metrics.txt`): OpenMetrics when it ends with `# EOF`. */
export async function readExpositionFile(path: string): Promise<Fetched> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new SourceError(code === 'ENOENT' ? `no file ${path} (give a saved exposition, or an http:// URL)` : `cannot read ${path}: ${(error as Error).message}`);
  }
  return { text, format: /(^|\n)# EOF\n?$/.test(text) ? 'openmetrics' : 'prometheus', where: path };
}
