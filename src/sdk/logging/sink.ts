/**
 * The tap log export plugs into. Every logger createLogger makes passes each finished JSON line through
 * `streamWrite` (pino's `hooks.streamWrite`) on its way to the destination; while no export runs that is one
 * variable read per line. `startLogExport` sets a sink, so loggers made before it started are exported too (as
 * spans of servers wrapped before `startTracing` are).
 *
 * A sink must not throw and must not block: it runs inside `logger.info()`, on the request path. `streamWrite`
 * swallows what one throws anyway, and always hands the line on unchanged.
 */
export type LogSink = (line: string) => void;

let current: LogSink | undefined;

/** Sets (or, with undefined, removes) the sink every SDK logger's lines go to besides their destination. */
export function setLogSink(sink: LogSink | undefined): void {
  current = sink;
}

/** The sink now set, if any. */
export function logSink(): LogSink | undefined {
  return current;
}

/** pino's `hooks.streamWrite`: hands the line to the sink, if one is set, and returns it unchanged. */
export function streamWrite(line: string): string {
  const sink = current;
  if (sink !== undefined) {
    try {
      sink(line);
    } catch {
      // Export is best effort: a log line is never lost or delayed because exporting it failed.
    }
  }
  return line;
}
