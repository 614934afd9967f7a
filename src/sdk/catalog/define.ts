/**
 * Metric definitions: pure data plus the types that make names and labels checkable by the compiler.
 * Nothing here touches prom-client, so generator code (rules, dashboards) can import the catalog freely.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * Base units (Prometheus naming: the unit is a suffix of the name, before `_total` for counters).
 * `''` means a dimensionless count or an `_info`-style gauge: no unit suffix is required.
 */
export type Unit = '' | 'seconds' | 'bytes' | 'ratio' | 'celsius' | 'meters' | 'volts' | 'amperes' | 'joules' | 'grams';

/** Where a metric's samples come from: the SDK's instruments, or prom-client's default collectors. */
export type MetricOrigin = 'instrument' | 'runtime';

/** Label names that the runtime or Prometheus add, so a definition may not declare them. */
export const RESERVED_LABEL_NAMES = ['service_name', 'le', 'quantile', 'job', 'instance'] as const;
export type ReservedLabelName = (typeof RESERVED_LABEL_NAMES)[number];

/** The label every series carries (set by the runtime from the service name, same word in logs and traces). */
export const SERVICE_LABEL = 'service_name';

/** Labels Prometheus attaches to every scraped series (target labels). */
export const TARGET_LABEL_NAMES = ['job', 'instance'] as const;

/** A name that states its unit: counters end in `_<unit>_total` (or `_total`), the rest in `_<unit>`. */
export type NameFor<T extends MetricType, U extends Unit> = T extends 'counter'
  ? U extends ''
    ? `${string}_total`
    : `${string}_${U}_total`
  : U extends ''
    ? string
    : `${string}_${U}`;

export interface MetricDef<
  N extends string = string,
  T extends MetricType = MetricType,
  L extends readonly string[] = readonly string[],
> {
  readonly name: N;
  readonly help: string;
  readonly type: T;
  readonly unit: Unit;
  readonly labelNames: L;
  /** Histogram bucket upper bounds (ascending, without +Inf). */
  readonly buckets?: readonly number[];
  /** Summary quantiles. */
  readonly percentiles?: readonly number[];
  /** Per-metric cap on distinct label sets (see the cardinality guard); the runtime default applies when absent. */
  readonly maxSeries?: number;
  /**
   * The promised bound on distinct values of a label (per service), where the mixin states one: `obskit check`
   * reports a label over it. A label without an entry has no stated bound.
   */
  readonly maxLabelValues?: Readonly<Partial<Record<L[number], number>>>;
  readonly origin: MetricOrigin;
  /**
   * The name is an existing system's documented contract (see defineDocumentedMetric): the unit-suffix and
   * `_total` naming rules are not applied to it; every other check is.
   */
  readonly documentedName?: true;
}

export type AnyMetricDef = MetricDef<string, MetricType, readonly string[]>;

/** The names of the labels a definition declares. */
export type LabelName<D extends AnyMetricDef> = D['labelNames'][number];

/** One value per declared label: missing or unknown label names do not compile. */
export type LabelValues<D extends AnyMetricDef> = { readonly [K in LabelName<D>]: string | number };

/** Every series name a metric exposes (histograms: `_bucket`, `_sum`, `_count`; summaries: quantiles, `_sum`, `_count`). */
export type SeriesName<D extends AnyMetricDef> = D extends { readonly type: 'histogram' }
  ? `${D['name']}_bucket` | `${D['name']}_sum` | `${D['name']}_count`
  : D extends { readonly type: 'summary' }
    ? D['name'] | `${D['name']}_sum` | `${D['name']}_count`
    : D['name'];

/** Every label a query may name on a metric's series: its own, `service_name`, the target labels, `le`/`quantile`. */
export type SeriesLabelName<D extends AnyMetricDef> =
  | LabelName<D>
  | typeof SERVICE_LABEL
  | (typeof TARGET_LABEL_NAMES)[number]
  | (D extends { readonly type: 'histogram' } ? 'le' : never)
  | (D extends { readonly type: 'summary' } ? 'quantile' : never);

/** `unknown` unless `L` names a reserved label; then a requirement whose error message names that label. */
type NoReserved<L extends readonly string[]> = [Extract<L[number], ReservedLabelName>] extends [never]
  ? unknown
  : { readonly labelNames: { readonly reservedLabelName: Extract<L[number], ReservedLabelName> } };

export interface MetricInput<N extends string, T extends MetricType, U extends Unit, L extends readonly string[]> {
  readonly name: N & NoInfer<NameFor<T, U>>;
  readonly help: string;
  readonly type: T;
  readonly unit: U;
  readonly labelNames?: L;
  readonly buckets?: T extends 'histogram' ? readonly number[] : never;
  readonly percentiles?: T extends 'summary' ? readonly number[] : never;
  readonly maxSeries?: number;
  readonly maxLabelValues?: Readonly<Partial<Record<L[number], number>>>;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A definition that breaks a naming rule; the message names the metric and the rule. */
export class MetricDefinitionError extends Error {
  constructor(metric: string, problem: string) {
    super(`metric ${JSON.stringify(metric)}: ${problem}`);
    this.name = 'MetricDefinitionError';
  }
}

/** The checks the types make, repeated at run time for definitions built from untyped data. */
export function validateMetricDef(def: AnyMetricDef): void {
  const fail = (problem: string): never => {
    throw new MetricDefinitionError(def.name, problem);
  };
  if (!NAME_RE.test(def.name)) fail('name must match [a-zA-Z_:][a-zA-Z0-9_:]*');
  if (!def.help.trim()) fail('help must not be empty');
  const suffix = def.unit === '' ? '' : `_${def.unit}`;
  if (def.documentedName) {
    // An existing system's name, kept as it documents it (DESIGN.md "Names").
  } else if (def.type === 'counter') {
    if (!def.name.endsWith(`${suffix}_total`)) fail(`a counter's name must end in "${suffix}_total"`);
  } else {
    if (def.name.endsWith('_total')) fail(`only counters end in "_total" (this is a ${def.type})`);
    if (suffix && !def.name.endsWith(suffix)) fail(`unit "${def.unit}" must be the name's suffix ("${suffix}")`);
  }
  const seen = new Set<string>();
  for (const label of def.labelNames) {
    if (!LABEL_RE.test(label) || label.startsWith('__')) fail(`label ${JSON.stringify(label)} is not a valid label name`);
    if ((RESERVED_LABEL_NAMES as readonly string[]).includes(label)) {
      fail(`label "${label}" is reserved (added by the runtime or by Prometheus)`);
    }
    if (seen.has(label)) fail(`label "${label}" is declared twice`);
    seen.add(label);
  }
  if (def.buckets) {
    if (def.type !== 'histogram') fail('only histograms have buckets');
    if (def.buckets.length === 0) fail('buckets must not be empty');
    for (let i = 1; i < def.buckets.length; i += 1) {
      if (!((def.buckets[i] as number) > (def.buckets[i - 1] as number))) fail('buckets must be strictly ascending');
    }
  }
  if (def.percentiles && def.type !== 'summary') fail('only summaries have percentiles');
  if (def.maxSeries !== undefined && !(Number.isInteger(def.maxSeries) && def.maxSeries >= 1)) {
    fail('maxSeries must be a positive integer');
  }
  for (const [label, bound] of Object.entries(def.maxLabelValues ?? {})) {
    if (!def.labelNames.includes(label)) fail(`maxLabelValues names "${label}", which is not one of its labels`);
    if (!(Number.isInteger(bound) && (bound as number) >= 1)) fail(`maxLabelValues.${label} must be a positive integer`);
  }
}

function build<N extends string, T extends MetricType, L extends readonly string[]>(
  input: MetricInput<N, T, Unit, L>,
  origin: MetricOrigin,
  documentedName = false,
): MetricDef<N, T, L> {
  const def: MetricDef<N, T, L> = {
    name: input.name,
    help: input.help,
    type: input.type,
    unit: input.unit,
    labelNames: (input.labelNames ?? []) as unknown as L,
    ...(input.buckets ? { buckets: Object.freeze([...input.buckets]) } : {}),
    ...(input.percentiles ? { percentiles: Object.freeze([...input.percentiles]) } : {}),
    ...(input.maxSeries !== undefined ? { maxSeries: input.maxSeries } : {}),
    ...(input.maxLabelValues ? { maxLabelValues: Object.freeze({ ...input.maxLabelValues }) } : {}),
    origin,
    ...(documentedName ? { documentedName: true as const } : {}),
  };
  validateMetricDef(def);
  return Object.freeze(def);
}

/**
 * Defines a metric once, for both the SDK (which emits it) and dashboards/rules (which query it).
 * The name must carry its unit and counters must end in `_total`; label names are kept as a literal tuple so
 * label sets are typed everywhere the definition is used.
 *
 * @example
 * export const ordersTotal = defineMetric({
 *   name: 'shop_orders_total', help: 'Orders placed.', type: 'counter', unit: '', labelNames: ['order_outcome'],
 * });
 */
export function defineMetric<
  const N extends string,
  const T extends MetricType,
  const U extends Unit,
  const L extends readonly string[] = readonly [],
>(input: MetricInput<N, T, U, L> & NoReserved<L>): MetricDef<N, T, L> {
  return build(input, 'instrument');
}

/**
 * A metric of an existing system under the name its documentation gives, where that name breaks obskit's naming
 * rules (a duration without its unit suffix, a gauge ending in `_total`): the system emits it so, and dashboards
 * must query it so. The unit still says what the values are; reserved labels and every other check still apply.
 * Say in a comment why the name is as it is.
 */
export function defineDocumentedMetric<
  const N extends string,
  const T extends MetricType,
  const U extends Unit,
  const L extends readonly string[] = readonly [],
>(input: Omit<MetricInput<N, T, U, L>, 'name'> & { readonly name: N } & NoReserved<L>): MetricDef<N, T, L> {
  return build(input as MetricInput<N, T, U, L>, 'instrument', true);
}

/** For metrics that prom-client's default collectors emit: same checks, but the SDK does not create them. */
export function defineRuntimeMetric<
  const N extends string,
  const T extends MetricType,
  const U extends Unit,
  const L extends readonly string[] = readonly [],
>(input: MetricInput<N, T, U, L> & NoReserved<L>): MetricDef<N, T, L> {
  return build(input, 'runtime');
}

/** The series names a metric exposes, as queries see them. */
export function seriesNamesOf<D extends AnyMetricDef>(def: D): readonly SeriesName<D>[] {
  switch (def.type) {
    case 'histogram':
      return [`${def.name}_bucket`, `${def.name}_sum`, `${def.name}_count`] as SeriesName<D>[];
    case 'summary':
      return [def.name, `${def.name}_sum`, `${def.name}_count`] as SeriesName<D>[];
    default:
      return [def.name] as SeriesName<D>[];
  }
}

/** The labels a query may use on a metric's series (its own, `service_name`, target labels, `le`/`quantile`). */
export function seriesLabelNamesOf<D extends AnyMetricDef>(def: D): readonly SeriesLabelName<D>[] {
  const extra = def.type === 'histogram' ? ['le'] : def.type === 'summary' ? ['quantile'] : [];
  return [...def.labelNames, SERVICE_LABEL, ...TARGET_LABEL_NAMES, ...extra] as SeriesLabelName<D>[];
}

/** A histogram definition with other buckets (a mixin's configurable buckets); checked like any definition. */
export function withBucketsOf<D extends AnyMetricDef>(def: D, buckets: readonly number[]): D {
  const out = { ...def, buckets: Object.freeze([...buckets]) };
  validateMetricDef(out);
  return Object.freeze(out);
}
