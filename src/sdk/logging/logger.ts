import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { SERVICE_LABEL } from '../catalog/define';
import { activeSpanContext, currentScope } from '../tracing/context';
import { streamWrite } from './sink';

export type { Logger } from 'pino';

export interface LoggerConfig {
  readonly serviceName: string;
  /** pino level; default `LOG_LEVEL` or `info`. */
  readonly level?: string;
  /** Where JSON lines go; default stdout. */
  readonly destination?: DestinationStream;
}

/** Fields added to every line written while a trace or an instrumented request is active. */
export function traceFields(): Record<string, string> {
  const sc = activeSpanContext();
  const scope = currentScope();
  if (!sc) return scope ? { correlation_id: scope.correlationId } : {};
  const fields: Record<string, string> = { trace_id: sc.traceId, span_id: sc.spanId };
  if (scope) fields.correlation_id = scope.correlationId;
  return fields;
}

/**
 * A pino logger writing one JSON object per line: `level` as a word, ISO `time`, `service_name` on every line,
 * and `trace_id`/`span_id`/`correlation_id` of the active trace or request (the same keys Loki and Tempo
 * link by). With startLogExport running, each line is also exported as an OTLP log record.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { [SERVICE_LABEL]: config.serviceName },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    // The tap OTLP log export (startLogExport) reads lines from; a no-op while export is off.
    hooks: { streamWrite },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
