import { TraceFlags } from '@opentelemetry/api';
import { createTelemetry } from '../../src/sdk';
import { RequestScope, scopeStorage } from '../../src/sdk/tracing/context';
import { memoryLog } from './support/net';

describe('JSON logs', () => {
  it('write one JSON object per line with level, ISO time and service_name', () => {
    const log = memoryLog();
    const t = createTelemetry({ serviceName: 'billing', defaultMetrics: false, log: { destination: log.stream, level: 'debug' } });
    t.logger.debug({ invoice: 7 }, 'created');
    const [line] = log.lines();
    expect(line).toMatchObject({ level: 'debug', service_name: 'billing', invoice: 7, msg: 'created' });
    expect(new Date(line?.time as string).toISOString()).toBe(line?.time);
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('correlation_id');
  });

  it('carry trace_id, span_id and correlation_id inside a request scope, also in child loggers', () => {
    const log = memoryLog();
    const t = createTelemetry({ serviceName: 'billing', defaultMetrics: false, log: { destination: log.stream } });
    const sc = { traceId: 'd'.repeat(32), spanId: 'e'.repeat(16), traceFlags: TraceFlags.SAMPLED };
    scopeStorage.run(new RequestScope(sc, 'corr-9'), () => {
      t.logger.info('one');
      t.logger.child({ component: 'db' }).warn('two');
    });
    scopeStorage.run(new RequestScope(undefined, undefined), () => t.logger.info('three'));
    const [one, two, three] = log.lines();
    expect(one).toMatchObject({ trace_id: 'd'.repeat(32), span_id: 'e'.repeat(16), correlation_id: 'corr-9' });
    expect(two).toMatchObject({ trace_id: 'd'.repeat(32), component: 'db', level: 'warn' });
    expect(three).not.toHaveProperty('trace_id');
    expect(three?.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
