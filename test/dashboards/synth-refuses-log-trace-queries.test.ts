/**
 * Synth refuses a dashboard whose LogQL or TraceQL does not parse: here the query builders themselves are broken
 * (as a bad edit to src/dashboards/queries.ts would break them), and the artifacts synth writes are never made.
 */
import { dashboardArtifacts } from '../../src/dashboards';
import { spec } from './support';

jest.mock('../../src/dashboards/queries', () => {
  const actual = jest.requireActual<typeof import('../../src/dashboards/queries')>('../../src/dashboards/queries');
  return {
    ...actual,
    lineContains: (q: string) => `${q} |= `,
    spanset: () => '{ resource.service.name = }',
  };
});

it('dashboardArtifacts (what synth writes) throws, naming each dashboard, panel and query', () => {
  let message = '';
  try {
    dashboardArtifacts(spec);
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/^the generated dashboards \(dist\/dashboards\) fail their checks \(5 problems\):/);
  for (const panel of ['panel 2 "Log volume" target A: LogQL does not parse', 'panel 3 "Logs" target A: LogQL does not parse']) {
    expect(message).toContain(`logs-traces.json: ${panel}`);
  }
  for (const panel of ['panel 5 "Recent traces"', 'panel 6 "Traces with errors"', 'panel 7 "Traces slower than 500ms"']) {
    expect(message).toContain(`logs-traces.json: ${panel} target A: TraceQL does not parse at offset 26`);
  }
});
