/**
 * What a service exposes against what its mixins promise: each difference as a finding that names the metric, the
 * mixin and what is wrong. Pure: an exposition and the spec's view of the service in, findings out.
 */
import { SERVICE_LABEL, TARGET_LABEL_NAMES, type AnyMetricDef } from '../sdk/catalog/define';
import type { Exposition, ExposedType, MetricFamily } from './exposition';
import type { CatalogEntry, Need } from './required';
import { closest } from './suggest';

export type FindingKind = 'missing' | 'unknown-metric' | 'unknown-label' | 'type' | 'unit' | 'buckets' | 'unbounded';

export interface Finding {
  readonly kind: FindingKind;
  readonly metric: string;
  /** The mixin whose promise is broken (for a metric no mixin defines: undefined). */
  readonly mixin?: string;
  readonly message: string;
}

export interface Comparison {
  readonly findings: Finding[];
  /** Required metrics declared (`# TYPE`) but without a sample yet: not a breach (a labelled metric before its first use). */
  readonly withoutSamples: string[];
  /**
   * Series without a label their definition declares: not a breach (Prometheus reads an absent label as the empty
   * value, and a mixin may declare labels another system's series leave out, as CovetPy's do), but worth knowing.
   */
  readonly notes: string[];
  /** Catalog metrics found in the exposition. */
  readonly matched: number;
}

/** Labels any series may carry besides its definition's: the service label and the target labels Prometheus adds. */
const ALWAYS_ALLOWED: readonly string[] = [SERVICE_LABEL, ...TARGET_LABEL_NAMES];

/** Unit words a name may end in, to recognise a metric exposed under another unit than the catalog's. */
const UNIT_WORDS = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds', 'minutes', 'hours', 'days', 'bytes', 'kilobytes', 'megabytes', 'bits', 'ratio', 'percent', 'celsius', 'meters', 'volts', 'amperes', 'joules', 'grams'];

const show = (values: readonly (string | number)[], max = 6) =>
  values.slice(0, max).map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ') + (values.length > max ? `, … (${values.length} in all)` : '');

/** `alert A, alert B, SLO x` → `alerts A, B; SLO x`: what reads a metric, grouped by kind, in first-seen order. */
function neededBy(by: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const b of by) {
    const [, kind = b, what = ''] = /^(alert|recording rule|SLO|dashboard) (.*)$/.exec(b) ?? [];
    groups.set(kind, [...(groups.get(kind) ?? []), what]);
  }
  return [...groups].map(([kind, whats]) => `${kind}${whats.length > 1 ? 's' : ''} ${whats.join(', ')}`).join('; ');
}

/** The catalog entry an exposed family is (OpenMetrics writes a counter's family without `_total`, an info's without `_info`). */
function entryOf(family: MetricFamily, catalog: ReadonlyMap<string, CatalogEntry>): CatalogEntry | undefined {
  return catalog.get(family.name) ?? (family.type === 'counter' ? catalog.get(`${family.name}_total`) : undefined) ?? (family.type === 'info' ? catalog.get(`${family.name}_info`) : undefined);
}

function typeProblem(exposed: ExposedType | undefined, def: AnyMetricDef): string | undefined {
  if (exposed === def.type || (exposed === 'info' && def.type === 'gauge')) return undefined;
  if (exposed === undefined || exposed === 'untyped' || exposed === 'unknown') return `has no type (no # TYPE, or ${exposed ?? 'untyped'}); the catalog says ${def.type}`;
  return `is exposed as a ${exposed}; the catalog says ${def.type}`;
}

const sameBound = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

function bucketProblem(family: MetricFamily, def: AnyMetricDef): string | undefined {
  if (def.type !== 'histogram' || !def.buckets) return undefined;
  const sets = new Map<string, number[]>();
  for (const s of family.samples.filter((x) => x.name.endsWith('_bucket'))) {
    const { le, ...rest } = s.labels;
    if (le === undefined) return `has a _bucket series without "le" (line ${s.line})`;
    const key = JSON.stringify(Object.entries(rest).sort());
    sets.set(key, [...(sets.get(key) ?? []), le === '+Inf' ? Infinity : Number(le)]);
  }
  for (const bounds of sets.values()) {
    if (!bounds.includes(Infinity)) return 'has a label set without its le="+Inf" bucket';
    const finite = [...new Set(bounds.filter(Number.isFinite))].sort((a, b) => a - b);
    const missing = def.buckets.filter((b) => !finite.some((f) => sameBound(f, b)));
    const extra = finite.filter((f) => !def.buckets!.some((b) => sameBound(f, b)));
    if (missing.length > 0 || extra.length > 0) {
      return (
        `has buckets [${finite.join(', ')}]; the catalog (under the mixin's config) sets [${def.buckets.join(', ')}]` +
        `${missing.length ? ` — missing ${missing.join(', ')}` : ''}${extra.length ? ` — not in the catalog ${extra.join(', ')}` : ''}`
      );
    }
  }
  return undefined;
}

function labelFindings(family: MetricFamily, def: AnyMetricDef, mixin: string, notes: string[]): Finding[] {
  const findings: Finding[] = [];
  const allowed = new Set([...def.labelNames, ...ALWAYS_ALLOWED]);
  const unknown = new Map<string, number>();
  const lacking = new Map<string, number>();
  for (const s of family.samples) {
    const structural = (s.name.endsWith('_bucket') && def.type === 'histogram') ? 'le' : def.type === 'summary' && s.name === def.name ? 'quantile' : undefined;
    for (const label of Object.keys(s.labels)) if (!allowed.has(label) && label !== structural) unknown.set(label, (unknown.get(label) ?? 0) + 1);
    for (const label of def.labelNames) if (!(label in s.labels)) lacking.set(label, (lacking.get(label) ?? 0) + 1);
  }
  for (const [label, count] of unknown) {
    const hint = closest(label, def.labelNames);
    findings.push({
      kind: 'unknown-label',
      metric: def.name,
      mixin,
      message: `label "${label}" (on ${count} series) is not in the catalog${hint ? `; did you mean "${hint}"?` : ''} (its labels: ${def.labelNames.join(', ') || 'none'})`,
    });
  }
  for (const [label, count] of lacking) {
    notes.push(`${def.name} (${mixin} mixin): ${count} series lack the label "${label}" the catalog declares (queries see an empty value)`);
  }
  for (const [label, bound] of Object.entries(def.maxLabelValues ?? {})) {
    const values = [...new Set(family.samples.map((s) => s.labels[label]).filter((v): v is string => v !== undefined))];
    if (values.length > (bound as number)) {
      findings.push({
        kind: 'unbounded',
        metric: def.name,
        mixin,
        message: `label "${label}" has ${values.length} distinct values, over the bound of ${bound} the ${mixin} mixin states (maxLabelValues): ${show(values.sort())}`,
      });
    }
  }
  return findings;
}

/** A required metric that is absent, exposed under another unit (`…_milliseconds` for `…_seconds`). */
function otherUnit(def: AnyMetricDef, exposition: Exposition): MetricFamily | undefined {
  if (def.unit === '' || def.documentedName) return undefined;
  const base = def.name.replace(/_total$/, '');
  if (!base.endsWith(`_${def.unit}`)) return undefined;
  const stem = base.slice(0, -def.unit.length - 1);
  for (const f of exposition.families.values()) {
    const n = f.name.replace(/_(total|count|sum|bucket|created)$/, '');
    const word = UNIT_WORDS.find((u) => u !== def.unit && n === `${stem}_${u}`);
    if (word) return f;
  }
  return undefined;
}

/** Compares an exposition with the service's catalog and what its mixins query. */
export function compare(exposition: Exposition, catalog: ReadonlyMap<string, CatalogEntry>, needs: ReadonlyMap<string, Need>, mixins: readonly string[]): Comparison {
  const findings: Finding[] = [];
  const withoutSamples: string[] = [];
  const notes: string[] = [];
  const found = new Set<string>();
  const explained = new Set<string>();

  for (const need of needs.values()) {
    const entry = catalog.get(need.metric)!;
    const family = [...exposition.families.values()].find((f) => entryOf(f, catalog)?.def.name === need.metric);
    if (family) {
      if (family.samples.length === 0) withoutSamples.push(need.metric);
      continue;
    }
    const elsewhere = otherUnit(entry.def, exposition);
    if (elsewhere) {
      explained.add(elsewhere.name);
      findings.push({
        kind: 'unit',
        metric: need.metric,
        mixin: need.mixin,
        message: `is exposed as "${elsewhere.name}", in another unit; the catalog's unit is ${entry.def.unit} (needed by ${neededBy(need.by)})`,
      });
      continue;
    }
    findings.push({ kind: 'missing', metric: need.metric, mixin: need.mixin, message: `is not exposed; needed by ${neededBy(need.by)}` });
  }

  for (const family of exposition.families.values()) {
    const entry = entryOf(family, catalog);
    if (!entry) {
      if (explained.has(family.name)) continue;
      const hint = closest(family.name, [...catalog.keys()]);
      findings.push({
        kind: 'unknown-metric',
        metric: family.name,
        message: `is not in the catalog of any mixin of the service (${mixins.join(', ')})${hint ? `; did you mean "${hint}" (${catalog.get(hint)!.mixin} mixin)?` : ''}`,
      });
      continue;
    }
    const { def, mixin } = entry;
    found.add(def.name);
    const add = (kind: FindingKind, message: string | undefined) => {
      if (message) findings.push({ kind, metric: def.name, mixin, message });
    };
    add('type', typeProblem(family.type, def));
    if (family.unit !== undefined && family.unit !== def.unit) add('unit', `declares # UNIT ${JSON.stringify(family.unit)}; the catalog's unit is ${JSON.stringify(def.unit)}`);
    add('buckets', bucketProblem(family, def));
    findings.push(...labelFindings(family, def, mixin, notes));
  }
  return { findings, withoutSamples, notes, matched: found.size };
}
