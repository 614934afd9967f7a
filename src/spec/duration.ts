/** Prometheus durations (`1h30m`, `15d`): the format of Prometheus, Alertmanager and Loki configs. */
const PROMETHEUS_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

const UNIT_MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const GROUP_UNITS = [
  [2, 'y'],
  [4, 'w'],
  [6, 'd'],
  [8, 'h'],
  [10, 'm'],
  [12, 's'],
  [14, 'ms'],
] as const;

/** Milliseconds in a Prometheus duration, or undefined when it is not one. */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === '') return undefined;
  const match = PROMETHEUS_DURATION.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const [group, unit] of GROUP_UNITS) {
    const digits = match[group];
    if (digits !== undefined) total += Number(digits) * UNIT_MS[unit];
  }
  return total;
}

export function isPrometheusDuration(text: string): boolean {
  const ms = parsePrometheusDuration(text);
  return ms !== undefined && ms > 0;
}

/** The same span as a Go `time.Duration` string (Tempo's format has no days): `15d` → `360h`. */
export function toGoDuration(text: string): string {
  const ms = parsePrometheusDuration(text);
  if (ms === undefined) throw new Error(`not a Prometheus duration: "${text}"`);
  const hours = Math.floor(ms / UNIT_MS.h);
  const minutes = Math.floor((ms % UNIT_MS.h) / UNIT_MS.m);
  const seconds = Math.floor((ms % UNIT_MS.m) / UNIT_MS.s);
  const millis = ms % UNIT_MS.s;
  const parts = [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`, millis && `${millis}ms`];
  return parts.filter(Boolean).join('') || '0s';
}
