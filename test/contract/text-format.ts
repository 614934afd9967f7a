/**
 * Reads a Prometheus text exposition (the format `promtool check metrics` lints) back into families: name, type,
 * help, the label names its samples carry (besides `le`/`quantile`) and a histogram's bucket bounds. Samples belong to
 * the family of the `# TYPE` line before them, as the format groups them.
 */
export interface TextFamily {
  readonly name: string;
  type: string;
  help: string;
  readonly labels: Set<string>;
  /** Histograms: the `le` bounds of its `_bucket` samples, without +Inf, in order of first appearance. */
  readonly buckets: number[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function textFamilies(text: string): Map<string, TextFamily> {
  const out = new Map<string, TextFamily>();
  const family = (name: string) => out.get(name) ?? out.set(name, { name, type: '', help: '', labels: new Set(), buckets: [] }).get(name)!;
  let current: TextFamily | undefined;
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      current = family(meta[2]!);
      if (meta[1] === 'HELP') current.help = meta[3]!.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else current.type = meta[3]!;
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample || !current) continue;
    for (const [, name, value] of (sample[2] ?? '').matchAll(LABEL)) {
      if (name === 'le') {
        if (sample[1] === `${current.name}_bucket` && value !== '+Inf' && !current.buckets.includes(Number(value))) current.buckets.push(Number(value));
      } else if (name !== 'quantile') current.labels.add(name!);
    }
  }
  return out;
}
