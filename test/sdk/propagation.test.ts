import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent, w3cPropagator } from '../../src/sdk/tracing/propagation';
import { resolveServiceName, resourceAttributesFromEnv } from '../../src/sdk/tracing/env';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C trace context', () => {
  it('parses and formats traceparent', () => {
    const sc = parseTraceparent(TP);
    expect(sc).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(formatTraceparent(sc as NonNullable<typeof sc>)).toBe(TP);
    expect(parseTraceparent(TP.replace(/-01$/, '-00'))?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('round-trips through the built-in propagator, tracestate included', () => {
    const getter = { keys: (c: Record<string, string>) => Object.keys(c), get: (c: Record<string, string>, k: string) => c[k] };
    const ctx = w3cPropagator.extract(ROOT_CONTEXT, { traceparent: TP, tracestate: 'vendor=abc,other=1' }, getter);
    expect(trace.getSpanContext(ctx)?.traceState?.get('vendor')).toBe('abc');
    const out: Record<string, string> = {};
    w3cPropagator.inject(ctx, out, { set: (c, k, v) => (c[k] = v) });
    expect(out).toEqual({ traceparent: TP, tracestate: 'vendor=abc,other=1' });
  });
});

describe('OTEL_* environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads OTEL_RESOURCE_ATTRIBUTES, skipping bad entries', () => {
    expect(resourceAttributesFromEnv('service.name=a%20b,broken,=x,deployment.environment.name=prod')).toEqual({
      'service.name': 'a b',
      'deployment.environment.name': 'prod',
    });
  });

  it('resolves the service name: option, then OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES', () => {
    process.env.OTEL_SERVICE_NAME = '';
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'service.name=from-attrs';
    expect(resolveServiceName()).toBe('from-attrs');
    process.env.OTEL_SERVICE_NAME = 'from-env';
    expect(resolveServiceName()).toBe('from-env');
    expect(resolveServiceName('explicit')).toBe('explicit');
  });
});
