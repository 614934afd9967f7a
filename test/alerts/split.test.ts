import { parse } from 'yaml';
import { splitRuleFile } from '../../src/alerts/split';
import type { RuleGroup } from '../../src/alerts/model';

const MAX = 4096;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const groupsOf = (content: string) => (parse(content) as { groups: { name: string; rules: { record?: string }[] }[] }).groups;

/** Per-service data read from another group's series, as the HTTP thresholds are: 200 rules, far over MAX. */
const thresholds: RuleGroup = {
  name: 'obskit.http.thresholds',
  rules: Array.from({ length: 200 }, (_, i) => ({
    record: 'service_name:http_error_ratio:threshold',
    expr: `0.05 * group by (service_name) (service_name:http_server_requests:rate5m{service_name=~"svc-${i}"})`,
    labels: { class: `c${i}` },
  })),
};

describe('rule files cut to size', () => {
  it('cut a group too large for one file between its rules when none reads what the group records', () => {
    const parts = splitRuleFile('http.yaml', [thresholds], MAX);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((p) => p.file).slice(0, 3)).toEqual(['http.yaml', 'http-2.yaml', 'http-3.yaml']);
    for (const p of parts) expect(bytes(p.content)).toBeLessThanOrEqual(MAX);
    const groups = parts.flatMap((p) => groupsOf(p.content));
    expect(groups.map((g) => g.name).slice(0, 2)).toEqual(['obskit.http.thresholds', 'obskit.http.thresholds-2']);
    expect(groups.flatMap((g) => g.rules)).toHaveLength(200);
  });

  it('refuse to cut a group whose rule reads what the group records, naming the group and the rule', () => {
    const reading: RuleGroup = {
      ...thresholds,
      rules: [
        ...thresholds.rules,
        { record: 'service_name:http_error_ratio:threshold_doubled', expr: '2 * service_name:http_error_ratio:threshold' },
      ],
    };
    expect(() => splitRuleFile('http.yaml', [reading], MAX)).toThrow(
      'rule file http.yaml: group obskit.http.thresholds is over the 4096 bytes a rule file may hold, and cannot be cut: ' +
        'its record service_name:http_error_ratio:threshold_doubled reads what the group records',
    );
  });

  it('tell a recorded name from a longer one that starts with it', () => {
    const longer: RuleGroup = {
      ...thresholds,
      rules: [...thresholds.rules, { record: 'other:series', expr: 'service_name:http_error_ratio:threshold_of_something_else' }],
    };
    expect(splitRuleFile('http.yaml', [longer], MAX).length).toBeGreaterThan(3);
  });
});
