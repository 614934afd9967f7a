/**
 * Rule files cut to a size every consumer takes: each file obskit writes to dist/rules holds at most
 * RULE_FILE_MAX_BYTES, so it fits a ConfigMap (packed with others up to the same size, see
 * src/charts/rule-config-maps.ts) or a PrometheusRule well under the Kubernetes API server's limits — 1 MiB per
 * object, and 256 KiB for the `last-applied-configuration` annotation a client-side `kubectl apply` writes (the
 * object again, as JSON). A file over the size is cut between groups into `<name>.yaml`, `<name>-2.yaml`, …:
 * Prometheus loads every file of the folder, and a group is the unit it evaluates, so nothing changes for it.
 */
import { toYaml } from '../output/yaml';
import { escapeRegex } from '../promql/regex';
import { isAlertRule, type RuleGroup } from './model';
import { renderRuleFile } from './render';

/** 128 KiB: a quarter of the 1 MiB object limit, and half the annotation limit even after JSON escaping. */
export const RULE_FILE_MAX_BYTES = 128 * 1024;

export interface RenderedRuleFile {
  readonly file: string;
  readonly content: string;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const render = (groups: readonly RuleGroup[]) => toYaml(renderRuleFile(groups));

/**
 * Whether a rule may be evaluated in another group: it names no series a recording rule of its own group writes (a
 * rule may read what one before it records in the same evaluation). A constant (`vector(0.05)`), per-service data
 * read from another group's series, and every alert that reads no record of its group qualify.
 */
function standsAlone(rule: RuleGroup['rules'][number], group: RuleGroup): boolean {
  const recorded = [...new Set(group.rules.flatMap((r) => (isAlertRule(r) ? [] : [r.record])))];
  return !recorded.some((name) => new RegExp(`(^|[^A-Za-z0-9_:])${escapeRegex(name)}($|[^A-Za-z0-9_:])`).test(rule.expr));
}

/**
 * A group larger than `max`, cut between its rules into `<name>`, `<name>-2`, …, when every rule stands alone (reads
 * nothing its group records), so where each is evaluated changes nothing. Any other group is refused.
 */
function cutGroup(file: string, group: RuleGroup, max: number, overhead: number): RuleGroup[] {
  const reader = group.rules.find((r) => !standsAlone(r, group));
  if (reader) {
    const name = isAlertRule(reader) ? `alert ${reader.alert}` : `record ${reader.record}`;
    throw new Error(`rule file ${file}: group ${group.name} is over the ${max} bytes a rule file may hold, and cannot be cut: its ${name} reads what the group records`);
  }
  const pieces: RuleGroup['rules'][number][][] = [[]];
  let size = overhead;
  for (const rule of group.rules) {
    const own = bytes(render([{ ...group, rules: [rule] }]));
    if (size + own > max && pieces.at(-1)!.length > 0) {
      pieces.push([]);
      size = overhead;
    }
    pieces.at(-1)!.push(rule);
    size += own;
  }
  return pieces.map((rules, i) => ({ ...group, name: i === 0 ? group.name : `${group.name}-${i + 1}`, rules }));
}

/**
 * One rule file, rendered, in parts of at most `max` bytes, cut between groups (and a group too large for one part
 * between its rules, when each stands alone). Throws when a group that cannot be cut is too large, naming it.
 */
export function splitRuleFile(file: string, groups: readonly RuleGroup[], max = RULE_FILE_MAX_BYTES): RenderedRuleFile[] {
  const whole = render(groups);
  if (bytes(whole) <= max) return [{ file, content: whole }];
  // The header and `groups:` line: what a file of one group has beyond the group (list items simply add up).
  const overhead = 2 * bytes(render([groups[0]!])) - bytes(render([groups[0]!, groups[0]!]));
  const parts: RuleGroup[][] = [[]];
  let size = overhead;
  for (const group of groups.flatMap((g) => (bytes(render([g])) > max ? cutGroup(file, g, max, overhead) : [g]))) {
    const own = bytes(render([group])) - overhead;
    if (size + own > max && parts.at(-1)!.length > 0) {
      parts.push([]);
      size = overhead;
    }
    parts.at(-1)!.push(group);
    size += own;
  }
  const base = file.replace(/\.yaml$/, '');
  return parts.map((part, i) => {
    const content = render(part);
    if (bytes(content) > max) throw new Error(`rule file ${file}: part ${i + 1} came out at ${bytes(content)} bytes, over ${max}`);
    return { file: i === 0 ? file : `${base}-${i + 1}.yaml`, content };
  });
}
