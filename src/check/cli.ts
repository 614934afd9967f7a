/**
 * Placeholder for `obskit check` (issue 12, item 5), which is being built in src/check/: the CLI dispatches
 * `obskit check …` here. Until it lands, it says so and exits with the usage status.
 */
export async function runCheck(argv: readonly string[]): Promise<number> {
  void argv;
  console.error('obskit check: not built yet');
  return 2;
}
