import { SERVICE_LABEL } from '../catalog/define';
import { OTEL_COMPONENT } from '../otlp/common';

/**
 * One JSON log line of createLogger as the fields of an OpenTelemetry log record (pure; no OpenTelemetry SDK
 * needed). The line's `msg` is the body, `level` the severity, `time` the timestamp, `trace_id`/`span_id` the
 * record's trace context; every other field is an attribute (`correlation_id`, `http_route`, `err`, …).
 * `service_name` is left out: it is the resource's `service.name`, which Loki turns into the same label.
 */
export interface LogRecordFields {
  /** Milliseconds since the epoch. */
  readonly timestamp: number | undefined;
  readonly severityNumber: number;
  readonly severityText: string | undefined;
  readonly body: string | undefined;
  readonly attributes: Record<string, unknown>;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
}

/** OpenTelemetry SeverityNumber for pino's level names (the first of each range: INFO = 9, not INFO2–4). */
export const SEVERITY_NUMBERS: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};

/** The fields that become parts of the record rather than attributes. */
const OWN_FIELDS = new Set(['time', 'level', 'msg', 'trace_id', 'span_id', SERVICE_LABEL]);

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * The record for a line, or undefined for a line that is not exported: not a JSON object, or written by the
 * OpenTelemetry diagnostics (`component: "otel"`), whose export failures would otherwise be exported through the
 * exporter that just failed.
 */
export function toLogRecordFields(line: string): LogRecordFields | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (fields.component === OTEL_COMPONENT) return undefined;
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!OWN_FIELDS.has(key) && value !== undefined) attributes[key] = value;
  }
  const level = typeof fields.level === 'string' ? fields.level : undefined;
  const time = typeof fields.time === 'string' ? Date.parse(fields.time) : typeof fields.time === 'number' ? fields.time : NaN;
  const traceId = typeof fields.trace_id === 'string' && TRACE_ID.test(fields.trace_id) ? fields.trace_id : undefined;
  const spanId = typeof fields.span_id === 'string' && SPAN_ID.test(fields.span_id) ? fields.span_id : undefined;
  return {
    timestamp: Number.isFinite(time) ? time : undefined,
    severityNumber: (level !== undefined ? SEVERITY_NUMBERS[level] : undefined) ?? 0,
    severityText: level,
    body: typeof fields.msg === 'string' ? fields.msg : undefined,
    attributes,
    traceId: traceId !== undefined && spanId !== undefined ? traceId : undefined,
    spanId: traceId !== undefined && spanId !== undefined ? spanId : undefined,
  };
}
