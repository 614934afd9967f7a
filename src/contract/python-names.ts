/**
 * Python identifiers for catalog names: a module per mixin (`git-notes-memory` → `git_notes_memory`), an attribute
 * per metric, a constant per metric and label name, a `Literal` alias per metric's labels. Names Python reserves
 * get a trailing `_`; two catalog names that would share an identifier are a problem (pythonNameProblems).
 */
import type { MixinCatalog } from './catalog';

/** Python 3's keywords and soft keywords (`keyword.kwlist`, `keyword.softkwlist` of CPython 3.11–3.13). */
const PYTHON_RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', '_', 'case', 'match', 'type',
]);

const safe = (identifier: string) => (PYTHON_RESERVED.has(identifier) ? `${identifier}_` : identifier);
const words = (name: string) => name.split(/[^A-Za-z0-9]+/).filter(Boolean);

/** The module of a mixin: `stack-health` → `stack_health`. */
export const pythonModuleName = (mixin: string) => safe(mixin.replace(/-/g, '_'));
/** The attribute holding a metric on the module's `Metrics`: `http_server_active_requests`. */
export const pythonAttribute = (metric: string) => safe(metric.replace(/[^A-Za-z0-9_]/g, '_'));
/** A constant (`Name.HTTP_ROUTE`, `Label.HTTP_ROUTE`). */
export const pythonConstant = (name: string) => safe(name.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase());
/** The `Literal` alias of a metric's label names: `http_server_request_duration_seconds` → `HttpServerRequestDurationSecondsLabel`. */
export const pythonLabelAlias = (metric: string) => `${words(metric).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}Label`;

/** Names the module defines itself, which no generated identifier may take. */
const MODULE_NAMES = ['_CATALOG_NAMES', 'MIXIN', 'VERSION', 'SCHEMA_VERSION', 'SERVICES', 'BUCKETS', 'SERVICE_BUCKETS', 'STACK_BUCKETS', 'RUNTIME_METRICS', 'Name', 'Label', 'Metrics', 'LabelName', 'buckets_for', 'register'];

/** Identifiers two catalog names of one mixin would share, as problems naming both. */
export function pythonNameProblems(catalog: MixinCatalog): string[] {
  const problems: string[] = [];
  const claim = (space: Map<string, string>, identifier: string, what: string) => {
    const earlier = space.get(identifier);
    if (earlier !== undefined && earlier !== what) problems.push(`${what} and ${earlier} would both be the Python identifier "${identifier}"`);
    else space.set(identifier, what);
  };
  const moduleScope = new Map(MODULE_NAMES.map((n) => [n, 'a name the module defines itself']));
  const attributes = new Map([['by_name', 'the Metrics method by_name']]);
  const metricConstants = new Map<string, string>();
  const labelConstants = new Map<string, string>();
  for (const m of catalog.metrics) {
    claim(attributes, pythonAttribute(m.name), `metric "${m.name}"`);
    claim(metricConstants, pythonConstant(m.name), `metric "${m.name}"`);
    if (m.labels.length > 0) claim(moduleScope, pythonLabelAlias(m.name), `metric "${m.name}"`);
    for (const l of m.labels) claim(labelConstants, pythonConstant(l), `label "${l}"`);
  }
  return problems;
}
