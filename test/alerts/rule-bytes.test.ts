/**
 * The cost of one more service in rule bytes (issue 14: under 2 KB for a service with the HTTP mixin and two SLOs),
 * measured on the rule files synth writes for fleets of 100 and 200 such services.
 */
import { renderedRuleFiles } from '../../src/alerts';
import { fleetSpec } from '../fixtures/fleet-spec';

const files = new Map<number, [string, string][]>();
const bytes = (n: number, file: RegExp) => {
  if (!files.has(n)) files.set(n, Object.entries(renderedRuleFiles(fleetSpec(n))));
  return files.get(n)!.filter(([path]) => file.test(path)).reduce((sum, [, content]) => sum + Buffer.byteLength(content), 0);
};
const perService = (file: RegExp = /./) => (bytes(200, file) - bytes(100, file)) / 100;

describe('rule bytes per additional service (HTTP mixin, an availability and a latency SLO)', () => {
  it('stay under 2 KB in all', () => {
    expect(perService()).toBeLessThan(2048);
  });

  it('are its SLOs’ own rules and a few names: the HTTP thresholds list the service, not a rule each', () => {
    expect(perService(/^http/)).toBeLessThan(64);
    expect(perService(/^slo/)).toBeLessThan(1900);
  });
});
