/**
 * Just enough of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/) to read the OTLP
 * export requests the collector sends to the stand-ins: ExportTraceServiceRequest (Tempo) and
 * ExportLogsServiceRequest (Loki) of opentelemetry-proto (field numbers from
 * opentelemetry/proto/{common,resource,trace,logs}/v1/*.proto). Unknown fields are skipped, as protobuf requires.
 */

type Field =
  | { readonly no: number; readonly wire: 0; readonly value: bigint }
  | { readonly no: number; readonly wire: 1; readonly value: Buffer }
  | { readonly no: number; readonly wire: 2; readonly value: Buffer }
  | { readonly no: number; readonly wire: 5; readonly value: Buffer };

function varint(buf: Buffer, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length; i += 1) {
    const byte = buf[i]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
    shift += 7n;
    if (shift > 63n) throw new Error('protobuf: varint too long');
  }
  throw new Error('protobuf: truncated varint');
}

/** The fields of one message, in order. */
export function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    at = next;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, after] = varint(buf, at);
      out.push({ no, wire, value });
      at = after;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(at, at + 8) });
      at += 8;
    } else if (wire === 2) {
      const [length, after] = varint(buf, at);
      const end = after + Number(length);
      if (end > buf.length) throw new Error('protobuf: truncated length-delimited field');
      out.push({ no, wire, value: buf.subarray(after, end) });
      at = end;
    } else if (wire === 5) {
      out.push({ no, wire, value: buf.subarray(at, at + 4) });
      at += 4;
    } else {
      throw new Error(`protobuf: unsupported wire type ${wire}`);
    }
  }
  return out;
}

const bytesOf = (fs: Field[], no: number): Buffer[] => fs.filter((f) => f.no === no && f.wire === 2).map((f) => f.value as Buffer);
const firstBytes = (fs: Field[], no: number): Buffer | undefined => bytesOf(fs, no)[0];
const str = (fs: Field[], no: number): string | undefined => firstBytes(fs, no)?.toString('utf8');
const hex = (fs: Field[], no: number): string | undefined => {
  const b = firstBytes(fs, no);
  return b && b.length > 0 ? b.toString('hex') : undefined;
};
const uint = (fs: Field[], no: number): number | undefined => {
  const f = fs.find((x) => x.no === no && x.wire === 0);
  return f ? Number(f.value) : undefined;
};
const fixed64 = (fs: Field[], no: number): bigint | undefined => {
  const f = fs.find((x) => x.no === no && x.wire === 1);
  return f ? (f.value as Buffer).readBigUInt64LE(0) : undefined;
};

/** common.v1.AnyValue as a plain value. */
export function anyValue(buf: Buffer): unknown {
  const fs = fields(buf);
  const f = fs[0];
  if (!f) return undefined;
  switch (f.no) {
    case 1:
      return (f.value as Buffer).toString('utf8');
    case 2:
      return (f.value as bigint) !== 0n;
    case 3: {
      const n = BigInt.asIntN(64, f.value as bigint);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
    }
    case 4:
      return (f.value as Buffer).readDoubleLE(0);
    case 5:
      return bytesOf(fields(f.value as Buffer), 1).map(anyValue);
    case 6:
      return keyValues(bytesOf(fields(f.value as Buffer), 1));
    case 7:
      return (f.value as Buffer).toString('hex');
    default:
      return undefined;
  }
}

/** repeated common.v1.KeyValue as an object. */
export function keyValues(list: Buffer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list) {
    const fs = fields(kv);
    const key = str(fs, 1);
    const value = firstBytes(fs, 2);
    if (key !== undefined) out[key] = value ? anyValue(value) : undefined;
  }
  return out;
}

/** resource.v1.Resource's attributes. */
function resource(buf: Buffer | undefined): Record<string, unknown> {
  return buf ? keyValues(bytesOf(fields(buf), 1)) : {};
}

export interface DecodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** SpanKind: 2 = server. */
  readonly kind: number | undefined;
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
  readonly attributes: Record<string, unknown>;
  /** Status.code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly scope: string | undefined;
  readonly resource: Record<string, unknown>;
}

/** collector.trace.v1.ExportTraceServiceRequest → its spans, each with its resource. */
export function decodeTraces(buf: Buffer): DecodedSpan[] {
  return bytesOf(fields(buf), 1).flatMap((rsBuf) => {
    const rs = fields(rsBuf);
    const res = resource(firstBytes(rs, 1));
    return bytesOf(rs, 2).flatMap((ssBuf) => {
      const ss = fields(ssBuf);
      const scopeBuf = firstBytes(ss, 1);
      const scope = scopeBuf ? str(fields(scopeBuf), 1) : undefined;
      return bytesOf(ss, 2).map((spanBuf) => {
        const sp = fields(spanBuf);
        const statusBuf = firstBytes(sp, 15);
        return {
          traceId: hex(sp, 1) ?? '',
          spanId: hex(sp, 2) ?? '',
          parentSpanId: hex(sp, 4),
          name: str(sp, 5) ?? '',
          kind: uint(sp, 6),
          startUnixNano: fixed64(sp, 7) ?? 0n,
          endUnixNano: fixed64(sp, 8) ?? 0n,
          attributes: keyValues(bytesOf(sp, 9)),
          statusCode: statusBuf ? (uint(fields(statusBuf), 3) ?? 0) : 0,
          scope,
          resource: res,
        };
      });
    });
  });
}

export interface DecodedLogRecord {
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  /** SeverityNumber: 9 = INFO, 13 = WARN, 17 = ERROR; 0 unspecified. */
  readonly severityNumber: number;
  readonly severityText: string | undefined;
  readonly body: unknown;
  readonly attributes: Record<string, unknown>;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly scope: string | undefined;
  readonly resource: Record<string, unknown>;
}

/** collector.logs.v1.ExportLogsServiceRequest → its log records, each with its resource and scope. */
export function decodeLogs(buf: Buffer): DecodedLogRecord[] {
  return bytesOf(fields(buf), 1).flatMap((rlBuf) => {
    const rl = fields(rlBuf);
    const res = resource(firstBytes(rl, 1));
    return bytesOf(rl, 2).flatMap((slBuf) => {
      const sl = fields(slBuf);
      const scopeBuf = firstBytes(sl, 1);
      const scope = scopeBuf ? str(fields(scopeBuf), 1) : undefined;
      return bytesOf(sl, 2).map((recordBuf) => {
        const r = fields(recordBuf);
        const body = firstBytes(r, 5);
        return {
          timeUnixNano: fixed64(r, 1) ?? 0n,
          observedTimeUnixNano: fixed64(r, 11) ?? 0n,
          severityNumber: uint(r, 2) ?? 0,
          severityText: str(r, 3),
          body: body ? anyValue(body) : undefined,
          attributes: keyValues(bytesOf(r, 6)),
          traceId: hex(r, 9),
          spanId: hex(r, 10),
          scope,
          resource: res,
        };
      });
    });
  });
}
