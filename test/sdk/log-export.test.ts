import { freePort } from '../support/net';
import { join } from 'node:path';
import { setLogSink, streamWrite } from '../../src/sdk/logging/sink';
import { SEVERITY_NUMBERS, toLogRecordFields } from '../../src/sdk/logging/record';
import { createTelemetry } from '../../src/sdk';
import { jsonLines, runTs } from './support/child';
import { startCollector } from './support/collector';
import { close, memoryLog } from './support/net';

const FIXTURE = join(__dirname, 'fixtures', 'logging-service.ts');
const PARENT_TRACE = '0123456789abcdef0123456789abcdef';

interface Result {
  statuses: number[];
  enabled: boolean;
  burstMs: number;
}

async function runService(env: Record<string, string>) {
  const out = await runTs(FIXTURE, {
    timeoutMs: 30_000,
    env: {
      OTEL_SERVICE_NAME: 'logging',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.0.0,deployment.environment.name=test',
      OTEL_BLRP_SCHEDULE_DELAY: '50',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: '',
      OTEL_SDK_DISABLED: '',
      OTEL_LOGS_EXPORTER: '',
      OTEL_TRACES_EXPORTER: '',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  const lines = jsonLines(out.stdout);
  const result = lines.find((l) => 'result' in l)?.result as Result | undefined;
  if (!result) throw new Error(`no result (exit ${out.code}/${out.signal}):\n${out.stdout}\n${out.stderr}`);
  return { ...out, result, lines: lines.filter((l) => !('result' in l)) };
}


describe('log lines as OTLP log records (pure mapping)', () => {
  it('maps msg, level, time, trace context and the other fields', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: '2026-01-02T03:04:05.678Z',
      service_name: 'svc',
      trace_id: 'a'.repeat(32),
      span_id: 'b'.repeat(16),
      correlation_id: 'c-1',
      order: { id: 7 },
      msg: 'slow order',
    });
    expect(toLogRecordFields(`${line}\n`)).toEqual({
      timestamp: Date.parse('2026-01-02T03:04:05.678Z'),
      severityNumber: SEVERITY_NUMBERS.warn,
      severityText: 'warn',
      body: 'slow order',
      attributes: { correlation_id: 'c-1', order: { id: 7 } },
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
    });
  });

  it('uses the OpenTelemetry severity numbers for every pino level', () => {
    expect(SEVERITY_NUMBERS).toEqual({ trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 });
    expect(toLogRecordFields('{"level":"custom","msg":"x"}')).toMatchObject({ severityNumber: 0, severityText: 'custom' });
  });

  it('skips the exporter diagnostics, non-JSON and malformed ids', () => {
    expect(toLogRecordFields('{"level":"error","component":"otel","msg":"export failed"}')).toBeUndefined();
    expect(toLogRecordFields('not json')).toBeUndefined();
    expect(toLogRecordFields('[1,2]')).toBeUndefined();
    expect(toLogRecordFields('{"msg":"x","trace_id":"XYZ","span_id":"bbbbbbbbbbbbbbbb"}')).toMatchObject({ traceId: undefined, spanId: undefined });
  });

  it('a throwing sink never reaches the logger or the line', () => {
    const log = memoryLog();
    const t = createTelemetry({ serviceName: 'tap', defaultMetrics: false, log: { destination: log.stream } });
    const seen: string[] = [];
    setLogSink((line) => {
      seen.push(line);
      throw new Error('sink broke');
    });
    try {
      expect(() => t.logger.info({ n: 1 }, 'still written')).not.toThrow();
      expect(streamWrite('x\n')).toBe('x\n');
    } finally {
      setLogSink(undefined);
    }
    t.logger.info('not tapped');
    expect(log.lines().map((l) => l.msg)).toEqual(['still written', 'not tapped']);
    expect(seen.map((l) => l.includes('still written') || l === 'x\n')).toEqual([true, true]);
  });
});

describe('OTLP log export (child processes)', () => {
  it('exports every line with the service resource, severity, body, attributes and trace context', async () => {
    const collector = await startCollector(200);
    try {
      const run = await runService({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret',
        FIXTURE_TRACING: '1',
      });
      expect(run.code).toBe(0);
      expect(run.result).toMatchObject({ statuses: [200, 200, 500], enabled: true });
      const logRequests = collector.requests.filter((r) => r.path === '/v1/logs');
      expect(logRequests.length).toBeGreaterThan(0);
      expect(logRequests.every((r) => r.headers['x-api-key'] === 's3cret')).toBe(true);
      const records = collector.logs();
      // Every line written while export ran is exported (the access log, the handlers' lines), nothing else.
      const exportedMsgs = records.map((r) => r.body);
      expect(exportedMsgs.filter((m) => m === 'request completed')).toHaveLength(3);
      expect(exportedMsgs).toEqual(expect.arrayContaining(['looked up user', 'handler failed']));
      expect(exportedMsgs).not.toContain('after shutdown: written, not exported');
      expect(exportedMsgs).not.toContain('below the log level: neither written nor exported');
      expect(run.lines.map((l) => l.msg)).toContain('after shutdown: written, not exported'); // stdout still has it
      expect(records.every((r) => r.scope === 'obskit-sdk')).toBe(true);
      for (const r of records) {
        expect(r.resource).toMatchObject({
          'service.name': 'logging',
          'service.version': '2.0.0',
          'deployment.environment.name': 'test',
          'telemetry.sdk.language': 'nodejs',
          'process.pid': expect.any(Number),
        });
      }
      // The caller's trace: the handler's line and the access-log line carry its trace id and the server span id.
      const spans = collector.spans();
      const traced = records.filter((r) => r.traceId === PARENT_TRACE);
      expect(traced.map((r) => r.body).sort()).toEqual(['looked up user', 'request completed']);
      const serverSpan = spans.find((s) => s.traceId === PARENT_TRACE);
      expect(serverSpan).toBeDefined();
      expect(traced.every((r) => r.spanId === serverSpan?.spanId)).toBe(true);
      const user = traced.find((r) => r.body === 'looked up user');
      expect(user).toMatchObject({
        severityText: 'info',
        severityNumber: 9,
        attributes: { component: 'users', user_id: 1, tags: ['a', 'b'], correlation_id: expect.any(String) },
      });
      expect(user?.attributes).not.toHaveProperty('service_name');
      expect(user?.attributes).not.toHaveProperty('trace_id');
      // The stdout line and the record agree on the time (ns from the line's ISO ms).
      const stdoutLine = run.lines.find((l) => l.msg === 'looked up user' && l.trace_id === PARENT_TRACE);
      expect(BigInt(user?.timeUnixNano ?? '0')).toBe(BigInt(Date.parse(String(stdoutLine?.time))) * 1_000_000n);
      const failed = records.find((r) => r.body === 'handler failed');
      expect(failed).toMatchObject({ severityText: 'error', severityNumber: 17, attributes: { err: { message: 'kaboom', type: 'Error' } } });
    } finally {
      await close(collector.server);
    }
  });

  it('sends to OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as given (no /v1/logs appended)', async () => {
    const collector = await startCollector(200);
    try {
      const run = await runService({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${collector.port}/custom/logs`,
      });
      expect(run.code).toBe(0);
      expect(collector.requests.length).toBeGreaterThan(0);
      expect(new Set(collector.requests.map((r) => r.path))).toEqual(new Set(['/custom/logs']));
      expect(collector.logs().length).toBeGreaterThanOrEqual(5);
    } finally {
      await close(collector.server);
    }
  });

  it.each([
    ['OTEL_LOGS_EXPORTER=none', { OTEL_LOGS_EXPORTER: 'none' }],
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }],
  ])('is off with %s', async (_, env) => {
    const collector = await startCollector(200);
    try {
      const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`, ...env });
      expect(run.result).toMatchObject({ statuses: [200, 200, 500], enabled: false });
      expect(collector.requests.filter((r) => r.path === '/v1/logs')).toHaveLength(0);
      expect(run.lines.filter((l) => l.msg === 'request completed')).toHaveLength(3);
    } finally {
      await close(collector.server);
    }
  });

  it('with the endpoint down, requests succeed, lines are still written and the process exits on its own', async () => {
    const run = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, FIXTURE_BURST: '100' });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(run.result.statuses).toEqual([200, 200, 500]);
    expect(run.lines.filter((l) => l.msg === 'burst')).toHaveLength(100);
    expect(run.stderr).not.toMatch(/Unhandled|TypeError|ReferenceError/);
  });

  it('queues a bounded number of records while the endpoint is slow, and drops the rest', async () => {
    const collector = await startCollector(200, 1500);
    try {
      const run = await runService({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
        OTEL_BLRP_MAX_QUEUE_SIZE: '20',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '10',
        FIXTURE_BURST: '500',
      });
      expect(run.code).toBe(0);
      expect(run.lines.filter((l) => l.msg === 'burst')).toHaveLength(500); // every line written...
      const exported = collector.logs().filter((r) => r.body === 'burst').length;
      expect(exported).toBeGreaterThan(0); // ...some exported...
      // ...but at most one batch in flight plus a full queue: the rest were dropped, not buffered without bound.
      expect(exported).toBeLessThanOrEqual(10 + 20);
    } finally {
      await close(collector.server);
    }
  });
});
