/** Small clients for the HTTP APIs of the running Prometheus and Alertmanager. */

export type Labels = Record<string, string>;

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export interface Series {
  readonly metric: Labels;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

export interface PrometheusRule {
  readonly type: 'recording' | 'alerting';
  readonly name: string;
  readonly query: string;
  readonly labels?: Labels;
  readonly health: string;
  readonly lastError?: string;
  readonly state?: string;
}

export interface PrometheusAlert {
  readonly labels: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

export interface Target {
  readonly labels: Labels;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

export class PrometheusApi {
  constructor(readonly base: string) {}

  async query(expr: string, time?: number): Promise<Series[]> {
    const params = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time / 1000) } : {}) });
    const out = await getJson<{ data: { resultType: string; result: Series[] | [number, string] } }>(`${this.base}/api/v1/query?${params}`);
    if (out.data.resultType === 'scalar') return [{ metric: {}, value: out.data.result as [number, string] }];
    return out.data.result as Series[];
  }

  async queryRange(expr: string, startMs: number, endMs: number, stepSeconds: number): Promise<Series[]> {
    const params = new URLSearchParams({ query: expr, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepSeconds) });
    return (await getJson<{ data: { result: Series[] } }>(`${this.base}/api/v1/query_range?${params}`)).data.result;
  }

  async exemplars(expr: string, startMs: number, endMs: number): Promise<{ seriesLabels: Labels; exemplars: { labels: Labels; value: string; timestamp: number }[] }[]> {
    const params = new URLSearchParams({ query: expr, start: String(startMs / 1000), end: String(endMs / 1000) });
    return (await getJson<{ data: { seriesLabels: Labels; exemplars: { labels: Labels; value: string; timestamp: number }[] }[] }>(`${this.base}/api/v1/query_exemplars?${params}`)).data;
  }

  async rules(): Promise<{ name: string; file: string; rules: PrometheusRule[] }[]> {
    return (await getJson<{ data: { groups: { name: string; file: string; rules: PrometheusRule[] }[] } }>(`${this.base}/api/v1/rules`)).data.groups;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await getJson<{ data: { alerts: PrometheusAlert[] } }>(`${this.base}/api/v1/alerts`)).data.alerts;
  }

  async targets(): Promise<Target[]> {
    return (await getJson<{ data: { activeTargets: Target[] } }>(`${this.base}/api/v1/targets?state=active`)).data.activeTargets;
  }
}

export interface AlertmanagerAlert {
  readonly labels: Labels;
  readonly receivers: { name: string }[];
  readonly status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
  readonly startsAt: string;
}

export class AlertmanagerApi {
  constructor(readonly base: string) {}

  alerts(): Promise<AlertmanagerAlert[]> {
    return getJson<AlertmanagerAlert[]>(`${this.base}/api/v2/alerts`);
  }
}

/** Resolves once `check` gives a value (polling every `everyMs`), or rejects after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True when `url` answers 200 (readiness endpoints). */
export async function isOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
