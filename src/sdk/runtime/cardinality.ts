import { OVERFLOW_LABEL_VALUE } from '../catalog/build';
import { labelsOf, type Labels } from './labels';

/**
 * Default cap on distinct label sets per metric. Same figure as the OpenTelemetry SDK's default cardinality
 * limit; a metric past it keeps its existing series and folds every new label set into one overflow series.
 */
export const DEFAULT_MAX_SERIES = 2000;

type Node<S> = Map<string, Node<S> | S>;

/**
 * The series of one metric, keyed by label values, with a cap: at most `max` distinct label sets are
 * admitted; past it, a new label set resolves to the overflow series (every label = `_overflow`) and
 * `onFold` is called. Memory stays bounded at `max + 1` series whatever the input, and a lookup of an
 * existing series allocates nothing (one Map per label level, no key strings).
 */
export class SeriesTable<S> {
  private root: Node<S> = new Map();
  private single: S | undefined;
  private overflowSeries: S | undefined;
  private readonly series: S[] = [];

  constructor(
    readonly labelNames: readonly string[],
    readonly max: number,
    private readonly create: (labels: Labels) => S,
    private readonly onFold: () => void,
  ) {
    if (!(Number.isInteger(max) && max >= 1)) throw new Error(`series cap must be a positive integer, got ${max}`);
  }

  /** The series for label values in declared order (the overflow series past the cap). */
  get(values: readonly string[]): S {
    const n = this.labelNames.length;
    if (n === 0) {
      if (this.single === undefined) this.single = this.add(labelsOf([], []));
      return this.single;
    }
    let node = this.root;
    for (let i = 0; i < n - 1; i += 1) {
      const v = values[i] as string;
      let next = node.get(v) as Node<S> | undefined;
      if (next === undefined) {
        if (this.series.length >= this.max) return this.fold();
        next = new Map();
        node.set(v, next);
      }
      node = next;
    }
    const last = values[n - 1] as string;
    const found = node.get(last) as S | undefined;
    if (found !== undefined) return found;
    if (this.series.length >= this.max) return this.fold();
    const s = this.add(labelsOf(this.labelNames, values));
    node.set(last, s);
    return s;
  }

  private add(labels: Labels): S {
    const s = this.create(labels);
    this.series.push(s);
    return s;
  }

  private fold(): S {
    this.onFold();
    if (this.overflowSeries === undefined) {
      this.overflowSeries = this.create(labelsOf(this.labelNames, this.labelNames.map(() => OVERFLOW_LABEL_VALUE)));
    }
    return this.overflowSeries;
  }

  /** Admitted label sets (the overflow series not included). */
  get size(): number {
    return this.series.length;
  }

  /** Every series, admitted ones in creation order, then the overflow series if any. */
  all(): readonly S[] {
    return this.overflowSeries === undefined ? this.series : [...this.series, this.overflowSeries];
  }

  clear(): void {
    this.root = new Map();
    this.single = undefined;
    this.overflowSeries = undefined;
    this.series.length = 0;
  }
}
