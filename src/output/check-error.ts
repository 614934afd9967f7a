/**
 * Generated output that failed one of the checks synth runs before writing (dashboards, rule files). Each problem
 * names the file and the part it is about. The spec was valid, so this is a defect in a generator or a catalog.
 */
export class GeneratedCheckError extends Error {
  constructor(
    /** What failed, in words: `the generated dashboards`. */
    readonly subject: string,
    /** One entry per problem, each starting with the generated file it is in (may span lines). */
    readonly problems: readonly string[],
  ) {
    super(`${subject} fail their checks (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.replace(/\n/g, '\n  ')}`).join('\n')}`);
    this.name = 'GeneratedCheckError';
  }
}
