import type { AnyMetricDef } from '../catalog/define';

/** A label set as the SDK stores it: every declared label, values as strings. Frozen; shared with prom-client. */
export type Labels = Readonly<Record<string, string>>;

/** A label set that does not match the metric's declaration; the message names the metric and the label. */
export class LabelError extends Error {
  constructor(def: AnyMetricDef, problem: string) {
    const declared = def.labelNames.length ? def.labelNames.join(', ') : 'none';
    super(`metric "${def.name}": ${problem} (declared labels: ${declared})`);
    this.name = 'LabelError';
  }
}

function labelValue(def: AnyMetricDef, name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value === undefined) throw new LabelError(def, `missing label "${name}"`);
  throw new LabelError(def, `label "${name}" must be a string or a finite number, got ${typeof value}`);
}

/**
 * Checks a label object against the declaration and returns the values in declared order.
 * Throws a LabelError for a missing, unknown or ill-typed label.
 */
export function labelValues(def: AnyMetricDef, labels: unknown): string[] {
  if (labels === null || typeof labels !== 'object') {
    if (def.labelNames.length === 0 && labels === undefined) return [];
    throw new LabelError(def, `labels must be an object, got ${labels === null ? 'null' : typeof labels}`);
  }
  const record = labels as Record<string, unknown>;
  const values: string[] = [];
  for (const name of def.labelNames) values.push(labelValue(def, name, record[name]));
  let count = 0;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    count += 1;
    if (count > def.labelNames.length || !def.labelNames.includes(key)) {
      const unknown = Object.keys(record).find((k) => !def.labelNames.includes(k)) ?? key;
      throw new LabelError(def, `unknown label "${unknown}"`);
    }
  }
  return values;
}

/** Builds the frozen label object for values in declared order. */
export function labelsOf(labelNames: readonly string[], values: readonly string[]): Labels {
  const out: Record<string, string> = {};
  labelNames.forEach((name, i) => {
    out[name] = values[i] as string;
  });
  return Object.freeze(out);
}
