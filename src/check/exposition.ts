/**
 * A strict parser for what a service serves on `/metrics`: the Prometheus text format (0.0.4) and OpenMetrics 1.0
 * text, into metric families with their `# TYPE`, `# UNIT`, `# HELP` and samples.
 *
 * Hand-written on purpose. npm has no well-kept parser of either format: `parse-prometheus-text-format` (the one in
 * wide use) has seen no maintenance in years and knows neither OpenMetrics (`# UNIT`, `# EOF`, `_created`, exemplars)
 * nor timestamps in seconds; prom-client only writes the format; the OpenTelemetry and platformatic packages convert
 * registries, not text. The grammar is small and documented (Prometheus "Exposition formats", the OpenMetrics 1.0
 * specification), and a check must be strict where those parsers are lenient: a malformed line is an error naming the
 * line, never silently skipped.
 */

export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** `# TYPE` values of both formats (`untyped` is Prometheus text's, `unknown` OpenMetrics'). */
const TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'info', 'stateset', 'gaugehistogram'] as const;
export type ExposedType = (typeof TYPES)[number];

export interface Sample {
  /** The series name as written (`foo_bucket`, `foo_total`). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** 1-based line in the exposition. */
  readonly line: number;
}

export interface MetricFamily {
  readonly name: string;
  /** From `# TYPE`; undefined when the exposition gives none (Prometheus then treats it as untyped). */
  type?: ExposedType;
  /** From `# UNIT` (OpenMetrics only). */
  unit?: string;
  help?: string;
  readonly samples: Sample[];
}

export interface Exposition {
  readonly format: ExpositionFormat;
  /** By family name, in order of first appearance. */
  readonly families: ReadonlyMap<string, MetricFamily>;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)$/;

/** The series a family of this type writes, by the family's name. */
function seriesOf(family: MetricFamily): string[] {
  const n = family.name;
  switch (family.type) {
    case 'counter':
      return [n, `${n}_total`, `${n}_created`];
    case 'histogram':
      return [`${n}_bucket`, `${n}_count`, `${n}_sum`, `${n}_created`];
    case 'gaugehistogram':
      return [`${n}_bucket`, `${n}_gcount`, `${n}_gsum`];
    case 'summary':
      return [n, `${n}_count`, `${n}_sum`, `${n}_created`];
    case 'info':
      return [`${n}_info`];
    default:
      return [n];
  }
}

const SUFFIXES = ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info'];

/** Reads label pairs from `{` to its `}`; returns the labels and the index after `}`. */
function readLabels(text: string, start: number, lineNo: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') return { labels, end: i + 1 };
    const name = LABEL.exec(text.slice(i))?.[0];
    if (!name) throw new ExpositionError(lineNo, `expected a label name at column ${i + 1}`);
    i += name.length;
    skipSpace();
    if (text[i] !== '=') throw new ExpositionError(lineNo, `expected "=" after label "${name}"`);
    i += 1;
    skipSpace();
    if (text[i] !== '"') throw new ExpositionError(lineNo, `the value of label "${name}" must be in double quotes`);
    i += 1;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new ExpositionError(lineNo, `the value of label "${name}" is not closed`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new ExpositionError(lineNo, `label "${name}": unknown escape "\\${next ?? ''}"`);
        i += 2;
        continue;
      }
      value += c;
      i += 1;
    }
    i += 1;
    if (Object.prototype.hasOwnProperty.call(labels, name)) throw new ExpositionError(lineNo, `label "${name}" appears twice`);
    labels[name] = value;
    skipSpace();
    if (text[i] === ',') i += 1;
    else if (text[i] !== '}') throw new ExpositionError(lineNo, `expected "," or "}" after the value of label "${name}"`);
  }
}

function parseNumber(token: string, what: string, lineNo: number): number {
  if (!NUMBER.test(token)) throw new ExpositionError(lineNo, `${what} ${JSON.stringify(token)} is not a number`);
  const t = token.replace(/^([+-]?)inf$/i, '$1Infinity');
  return /^[+-]?nan$/i.test(token) ? NaN : Number(t);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parses an exposition. `format` comes from the Content-Type (or, for a file, from a final `# EOF`). */
export function parseExposition(text: string, format: ExpositionFormat = /(^|\n)# EOF\n?$/.test(text) ? 'openmetrics' : 'prometheus'): Exposition {
  const families = new Map<string, MetricFamily>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let current: MetricFamily | undefined;
  let ended = false;

  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, samples: [] };
      families.set(name, f);
    }
    return f;
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = format === 'prometheus' ? raw.trim() : raw;
    if (ended) throw new ExpositionError(lineNo, 'content after "# EOF"');
    if (line === '') {
      if (format === 'openmetrics') throw new ExpositionError(lineNo, 'empty line (OpenMetrics allows none)');
      return;
    }
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE|UNIT|EOF)(?:\s+(\S+)(?:\s(.*))?)?$/.exec(line);
      if (line === '# EOF') {
        if (format !== 'openmetrics') throw new ExpositionError(lineNo, '"# EOF" in the Prometheus text format');
        ended = true;
        return;
      }
      if (!m) {
        if (format === 'openmetrics') throw new ExpositionError(lineNo, `unknown comment ${JSON.stringify(line.slice(0, 40))}`);
        return; // the Prometheus text format allows free comments
      }
      const [, keyword, name, rest = ''] = m;
      if (!name || !NAME.test(name) || NAME.exec(name)![0] !== name) throw new ExpositionError(lineNo, `# ${keyword} needs a metric name`);
      if (keyword === 'UNIT' && format !== 'openmetrics') throw new ExpositionError(lineNo, '"# UNIT" is OpenMetrics only');
      const f = family(name);
      if (keyword === 'HELP') {
        if (f.help !== undefined) throw new ExpositionError(lineNo, `second # HELP for "${name}"`);
        f.help = unescapeHelp(rest);
      } else if (keyword === 'TYPE') {
        const type = rest.trim() as ExposedType;
        if (!TYPES.includes(type)) throw new ExpositionError(lineNo, `# TYPE of "${name}": unknown type ${JSON.stringify(rest.trim())}`);
        if (f.type !== undefined) throw new ExpositionError(lineNo, `second # TYPE for "${name}"`);
        if (f.samples.length > 0) throw new ExpositionError(lineNo, `# TYPE for "${name}" after its samples`);
        f.type = type;
      } else {
        if (f.unit !== undefined) throw new ExpositionError(lineNo, `second # UNIT for "${name}"`);
        f.unit = rest.trim();
      }
      current = f;
      return;
    }

    const name = NAME.exec(line)?.[0];
    if (!name) throw new ExpositionError(lineNo, `expected a metric name, a comment or an empty line, got ${JSON.stringify(line.slice(0, 40))}`);
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') ({ labels, end: i } = readLabels(line, i, lineNo));
    // value, optional timestamp, optional exemplar (OpenMetrics: ` # {labels} value [timestamp]`)
    const [beforeExemplar = '', exemplar] = line.slice(i).split(/ # (?=\{)/, 2);
    if (exemplar !== undefined) {
      if (format !== 'openmetrics') throw new ExpositionError(lineNo, 'exemplars are OpenMetrics only');
      readLabels(exemplar, 0, lineNo);
    }
    if (!/^[ \t]/.test(beforeExemplar)) throw new ExpositionError(lineNo, `expected a space before the value of "${name}"`);
    const tokens = beforeExemplar.trim().split(/[ \t]+/);
    if (tokens.length === 0 || tokens[0] === '' || tokens.length > 2) {
      throw new ExpositionError(lineNo, `"${name}": expected a value and an optional timestamp, got ${JSON.stringify(beforeExemplar.trim())}`);
    }
    const value = parseNumber(tokens[0]!, `the value of "${name}"`, lineNo);
    if (tokens[1] !== undefined) parseNumber(tokens[1], `the timestamp of "${name}"`, lineNo);

    let owner = current && seriesOf(current).includes(name) ? current : undefined;
    if (!owner) {
      const stem = SUFFIXES.find((s) => name.endsWith(s));
      for (const candidate of [name, ...(stem ? [name.slice(0, -stem.length)] : [])]) {
        const f = families.get(candidate);
        if (f && seriesOf(f).includes(name)) owner = f;
      }
    }
    owner ??= family(name);
    owner.samples.push({ name, labels, value, line: lineNo });
    current = owner;
  });
  if (format === 'openmetrics' && !ended) throw new ExpositionError(lines.length, 'an OpenMetrics exposition must end with "# EOF"');
  return { format, families };
}

/** The format a Content-Type names (`application/openmetrics-text` → OpenMetrics; anything else: Prometheus text). */
export function formatOf(contentType: string | null | undefined): ExpositionFormat {
  return /^application\/openmetrics-text/i.test(contentType ?? '') ? 'openmetrics' : 'prometheus';
}
