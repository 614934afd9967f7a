/**
 * The Node.js runtime as obskit's Node SDK exports it: prom-client's default collectors (src/sdk/catalog/runtime.ts),
 * the build-info gauge and the SDK's own cardinality guard counter. SDK-safe: nothing here loads generator code.
 */
import { buildMetrics, sdkSeriesOverflow, serviceBuildInfo } from '../../sdk/catalog/build';
import { runtimeMetrics } from '../../sdk/catalog/runtime';

export { runtimeMetrics, buildMetrics, serviceBuildInfo, sdkSeriesOverflow };

export const nodejsMetrics = [...runtimeMetrics, ...buildMetrics] as const;

type NodeMetric = (typeof nodejsMetrics)[number];
/** One of the Node metrics by name, typed (labels checked by the compiler in queries). */
export function nodeMetric<N extends NodeMetric['name']>(name: N): Extract<NodeMetric, { readonly name: N }> {
  const def = nodejsMetrics.find((m): m is Extract<NodeMetric, { readonly name: N }> => m.name === name);
  if (!def) throw new Error(`${name} is not a Node.js runtime metric`);
  return def;
}
