/**
 * The values the simulator gives each label: a mixin's examples first, then every value the spec's queries select
 * (so a panel filtering `status="error"` has data), then a small generated set; at most MAX_VALUES per label.
 */
import { matchingValue } from '../promql/regex-example';
import { isBadValue } from '../sdk/simulate/values';

export const MAX_VALUES = 8;

/** Plausible defaults for label names common in the field; anything else gets `<label>-a`, `-b`, `-c`. */
const COMMON: Readonly<Record<string, readonly string[]>> = {
  status: ['200', '201', '404', '500'],
  code: ['200', '201', '404', '500'],
  status_code: ['200', '201', '404', '500'],
  method: ['GET', 'POST', 'PUT', 'DELETE'],
  endpoint: ['/api/users', '/api/orders', '/api/products', '/health'],
  route: ['/api/users', '/api/orders/:id', '/health'],
  path: ['/api/users', '/api/orders', '/health'],
  generation: ['0', '1', '2'],
  url_scheme: ['http', 'https'],
  region: ['eu-west-1', 'us-east-1', 'ap-south-1'],
  currency: ['EUR', 'USD', 'GBP'],
  priority: ['low', 'medium', 'high', 'critical'],
  severity: ['low', 'medium', 'high', 'critical'],
  state: ['open', 'in_progress', 'done'],
  version: ['1.4.2'],
  implementation: ['CPython'],
  major: ['3'],
  minor: ['12'],
  patchlevel: ['4'],
};

export function generatedValues(label: string): readonly string[] {
  return COMMON[label] ?? [`${label}-a`, `${label}-b`, `${label}-c`];
}

/** Literal alternatives of a regex (`a|b|c`), or undefined when it is more than that. */
function alternatives(source: string): string[] | undefined {
  const parts = source.split('|');
  return parts.every((p) => /^[\w.:/-]+$/.test(p) && !/[.]/.test(p.replace(/\\\./g, ''))) ? parts : undefined;
}

/** Values a matcher selects (none for negative matchers, regexes matching anything, or variable references). */
export function selectedValues(op: string, value: string): string[] {
  if (value.includes('$')) return [];
  if (op === '=') return value === '' ? [] : [value];
  if (op !== '=~') return [];
  if (/^\.[*+]$/.test(value)) return [];
  const literal = alternatives(value);
  if (literal) return literal;
  // `.*deploy.*` → `deploy` before the general example (which would read `0deploy0`)
  const plain = value.replace(/\.\*/g, '').replace(/\.\+/g, 'x');
  if (/^[\w :/-]+$/.test(plain) && new RegExp(`^(?:${value})$`).test(plain)) return [plain];
  const one = matchingValue(value);
  return one !== undefined && one !== '' ? [one] : [];
}

/**
 * The bounded value list of one label: examples, then selected values, then generated ones until there are at least
 * two; when every value is error-like (a query selected only `status="error"`), a good one is added, so ratios of
 * bad to all events stay plausible.
 */
export function labelValues(label: string, examples: readonly string[], selected: readonly string[], pooled: readonly string[] = []): string[] {
  const out: string[] = [];
  const add = (v: string) => {
    if (!out.includes(v) && out.length < MAX_VALUES) out.push(v);
  };
  examples.forEach(add);
  selected.forEach(add);
  pooled.forEach(add);
  if (out.length < 2) generatedValues(label).forEach(add);
  if (out.every(isBadValue)) {
    const good = generatedValues(label).find((v) => !isBadValue(v)) ?? 'ok';
    if (out.length >= MAX_VALUES) out.pop();
    add(good);
  }
  return out;
}
