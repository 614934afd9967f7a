/**
 * Synth refuses a dashboard whose LogQL or TraceQL does not parse: here the query builders themselves are broken
 * (as a bad edit to src/dashboards/queries.ts would break them). Validating the spec already builds every mixin's
 * dashboards, so synth stops there, naming the mixin and each panel, before any artifact is made.
 */
import { resolveSpec, SpecError } from '../../src/spec';

jest.mock('../../src/dashboards/queries', () => {
  const actual = jest.requireActual<typeof import('../../src/dashboards/queries')>('../../src/dashboards/queries');
  return {
    ...actual,
    lineContains: (q: string) => `${q} |= `,
    spanset: () => '{ resource.service.name = }',
  };
});

it('resolveSpec (what synth runs before writing) throws, naming the mixin, each dashboard, panel and query', () => {
  let message = '';
  try {
    resolveSpec({ namespace: 'observability', services: [{ name: 'demo', port: 8080 }] });
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    message = (error as Error).message;
  }
  expect(message).toContain("mixins[1]: the logs-traces mixin's dashboards fail their checks");
  for (const panel of ['panel 2 "Log volume" target A: LogQL does not parse', 'panel 3 "Logs" target A: LogQL does not parse']) {
    expect(message).toContain(`logs-traces.json: ${panel}`);
  }
  for (const panel of ['panel 5 "Recent traces"', 'panel 6 "Traces with errors"', 'panel 7 "Traces slower than 500ms"']) {
    expect(message).toContain(`logs-traces.json: ${panel} target A: TraceQL does not parse at offset 26`);
  }
});
