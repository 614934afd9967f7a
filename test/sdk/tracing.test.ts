import { freePort } from '../support/net';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { jsonLines, runTs } from './support/child';
import { startCollector } from './support/collector';
import { close } from './support/net';

const FIXTURE = join(__dirname, 'fixtures', 'traced-service.ts');
const PARENT_TRACE = '0123456789abcdef0123456789abcdef';
const PARENT_SPAN = '0123456789abcdef';

interface Result {
  statuses: number[];
  exemplarTraceIds: string[];
  enabled: boolean;
  serviceName: string;
}

async function runService(env: Record<string, string>) {
  const out = await runTs(FIXTURE, {
    timeoutMs: 30_000,
    env: {
      OTEL_SERVICE_NAME: 'traced',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_TRACES_SAMPLER: '',
      OTEL_TRACES_SAMPLER_ARG: '',
      OTEL_SDK_DISABLED: '',
      OTEL_TRACES_EXPORTER: '',
      ...env,
    },
  });
  const lines = jsonLines(out.stdout);
  const result = lines.find((l) => 'result' in l)?.result as Result | undefined;
  if (!result) throw new Error(`no result (exit ${out.code}/${out.signal}):\n${out.stdout}\n${out.stderr}`);
  return { ...out, result, logs: lines };
}


describe('OTLP trace export (child processes)', () => {
  it('exports server spans continuing the caller trace, honouring OTEL_* variables', async () => {
    const collector = await startCollector(200);
    try {
      const run = await runService({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret',
      });
      expect(run.code).toBe(0);
      expect(run.result.statuses).toEqual(Array(10).fill(200));
      expect(run.result.serviceName).toBe('traced');
      expect(collector.requests.every((r) => r.path === '/v1/traces' && r.headers['x-api-key'] === 's3cret')).toBe(true);
      const spans = collector.spans().filter((s) => s.name.startsWith('GET'));
      expect(spans).toHaveLength(10);
      const child = spans.find((s) => s.traceId === PARENT_TRACE);
      expect(child).toMatchObject({
        name: 'GET /users/:id',
        parentSpanId: PARENT_SPAN,
        attributes: { 'http.route': '/users/:id', 'http.response.status_code': 200, 'http.request.method': 'GET' },
        resource: { 'service.name': 'traced', 'service.version': '1.2.3', 'deployment.environment.name': 'test' },
      });
      // exemplars and log lines point at exported traces
      const exported = new Set(spans.map((s) => s.traceId));
      expect(run.result.exemplarTraceIds.length).toBeGreaterThan(0);
      expect(run.result.exemplarTraceIds.every((id) => exported.has(id))).toBe(true);
      const logged = run.logs.filter((l) => l.msg === 'request completed' && l.trace_id === PARENT_TRACE);
      expect(logged.length).toBe(5);
      expect(logged.every((l) => l.span_id !== PARENT_SPAN && spans.some((s) => s.spanId === l.span_id))).toBe(true);
    } finally {
      await close(collector.server);
    }
  });

  it('honours the sampler variables (parentbased_traceidratio with ratio 0 keeps only sampled parents)', async () => {
    const collector = await startCollector(200);
    try {
      const run = await runService({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      });
      expect(run.code).toBe(0);
      const spans = collector.spans();
      expect(spans).toHaveLength(5);
      expect(spans.every((s) => s.traceId === PARENT_TRACE)).toBe(true);
      expect(run.result.exemplarTraceIds).toEqual([PARENT_TRACE]);
    } finally {
      await close(collector.server);
    }
  });

  it('with the endpoint down, requests succeed and the process still exits on its own', async () => {
    const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.result.statuses).toEqual(Array(10).fill(200));
    expect(run.stderr).not.toMatch(/Unhandled|TypeError|ReferenceError/);
  });

  it('with the endpoint failing (503), each batch is retried a bounded number of times', async () => {
    const collector = await startCollector(503);
    try {
      const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}` });
      expect(run.code).toBe(0);
      expect(run.result.statuses).toEqual(Array(10).fill(200));
      expect(collector.requests.length).toBeGreaterThan(0);
      const attempts = new Map<string, number>();
      for (const r of collector.requests) {
        const key = createHash('sha256').update(r.body).digest('hex');
        attempts.set(key, (attempts.get(key) ?? 0) + 1);
      }
      // the exporter makes 1 attempt + at most 5 retries, all within OTEL_EXPORTER_OTLP_TIMEOUT
      expect(Math.max(...attempts.values())).toBeGreaterThanOrEqual(2); // it does retry...
      expect(Math.max(...attempts.values())).toBeLessThanOrEqual(6); // ...but boundedly
      expect(run.logs.some((l) => l.component === 'otel' && (l.level === 'error' || l.level === 'warn'))).toBe(true);
    } finally {
      await close(collector.server);
    }
  });

  it('is off with OTEL_SDK_DISABLED=true', async () => {
    const collector = await startCollector(200);
    try {
      const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, OTEL_SDK_DISABLED: 'true' });
      expect(run.result.enabled).toBe(false);
      expect(run.result.statuses).toEqual(Array(10).fill(200));
      expect(run.result.exemplarTraceIds).toEqual([PARENT_TRACE]); // caller traces still reach exemplars
      expect(collector.requests).toHaveLength(0);
    } finally {
      await close(collector.server);
    }
  });
});
