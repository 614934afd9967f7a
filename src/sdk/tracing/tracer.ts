import { ProxyTracerProvider, trace, type Tracer } from '@opentelemetry/api';

const NAME = 'obskit-sdk';
let lastDelegate: unknown;
let cached: Tracer | undefined;

/**
 * The tracer of the registered OpenTelemetry tracer provider, or undefined while none is registered (tracing
 * export off). Instrumentation skips span and context work entirely in that case. Re-checked on every call
 * (one property read), so tracing started after the telemetry still takes effect.
 */
export function activeTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  if (!(provider instanceof ProxyTracerProvider)) return provider.getTracer(NAME);
  const delegate = provider.getDelegate();
  if (delegate !== lastDelegate) {
    lastDelegate = delegate;
    cached = provider.getDelegateTracer(NAME);
  }
  return cached;
}
