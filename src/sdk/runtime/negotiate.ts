import type { ExpositionFormat } from './exposition';

/**
 * Picks the exposition format for an Accept header: OpenMetrics when the client prefers it (by q-value) over
 * the Prometheus text format, as Prometheus's scrape Accept header does; Prometheus text otherwise.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept || !accept.includes('application/openmetrics-text')) return 'prometheus';
  let om = -1;
  let text = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim() === 'q' && v !== undefined) {
        const parsed = Number(v);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    const mediaType = type.toLowerCase();
    if (mediaType === 'application/openmetrics-text') om = Math.max(om, q);
    else if (mediaType === 'text/plain' || mediaType === '*/*' || mediaType === 'text/*') text = Math.max(text, q);
  }
  return om > 0 && om >= text ? 'openmetrics' : 'prometheus';
}
