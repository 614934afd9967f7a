import { levenshtein } from '../promql/check';

/** The candidate nearest to a name, when it is near enough to be a likely misspelling (as the PromQL checker judges). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 5)) ? best : undefined;
}
