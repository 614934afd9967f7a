/** Text-format helpers shared by the exposition renderer and the SDK's native metrics. */

export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}

export function escapeHelp(help: string, openMetrics: boolean): string {
  const out = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return openMetrics ? out.replace(/"/g, '\\"') : out;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** `a="x",b="y"` for a label object (`skip`: names to leave out). */
export function formatPairs(labels: Readonly<Record<string, unknown>>, skip?: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const name in labels) {
    if (skip && Object.prototype.hasOwnProperty.call(skip, name)) continue;
    const value = labels[name];
    if (value === undefined) continue;
    out += `${out ? ',' : ''}${name}="${escapeLabelValue(String(value))}"`;
  }
  return out;
}

/** Joins label-pair fragments, skipping empty ones. */
export function joinPairs(a: string, b: string): string {
  return a && b ? `${a},${b}` : a || b;
}
