/**
 * Where a lezer grammar (PromQL, LogQL, TraceQL) stops understanding an expression. Lezer parsers recover from
 * errors and always return a tree; an error node in it marks the first place the text does not fit the grammar.
 */
import type { Tree } from '@lezer/common';

/** A message naming the offset and the text around it, or undefined when the tree has no error node. */
export function syntaxError(tree: Tree, expr: string): string | undefined {
  let found: number | undefined;
  tree.iterate({
    enter(ref) {
      if (found !== undefined) return false;
      if (ref.type.isError) {
        found = Math.min(ref.from, expr.length);
        return false;
      }
      return undefined;
    },
  });
  if (found === undefined) return undefined;
  const near = expr.slice(Math.max(0, found - 20), found + 20);
  return `does not parse at offset ${found}: ${JSON.stringify(near)}`;
}
