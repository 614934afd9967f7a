import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { VALUE_FUNCTIONS } from './humanize';
import { quote } from '../promql/expr';
import { parsePrometheusDuration } from '../spec/duration';
import { isAlertRule, silentExamples, type AlertRule, type Rule, type RuleGroup, type Scenario, type EpisodeCheck } from './model';

/** Expressions longer than this are broken at their top-level binary operators. */
const LINE = 100;

/**
 * Lays a long expression out over lines for people reading the rule file: a binary expression puts each operand
 * on its own line and the operator (with its modifiers) between them; a long parenthesised operand opens and
 * closes on lines of its own, its content indented. Short expressions stay on one line. Only whitespace changes.
 */
export function prettyPromQL(expr: string): string {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const layout = (node: SyntaxNode, indent: string): string => {
    const own = text(node);
    if (own.length + indent.length <= LINE) return own;
    if (node.type.name === 'BinaryExpr' && node.firstChild && node.lastChild && node.firstChild.to <= node.lastChild.from) {
      const left = node.firstChild;
      const right = node.lastChild;
      const op = expr.slice(left.to, right.from).trim();
      const first = layout(left, indent);
      // A short right operand (a threshold) stays with its operator, after a closing parenthesis if there is one.
      if (text(right).length <= 30) {
        const joiner = first.includes('\n') && first.endsWith(')') ? ' ' : `\n${indent}`;
        return `${first}${joiner}${op} ${text(right)}`;
      }
      return `${first}\n${indent}${op}\n${indent}${layout(right, indent)}`;
    }
    const inner = node.type.name === 'ParenExpr' ? node.getChild('BinaryExpr') : null;
    if (inner) {
      const deeper = `${indent}  `;
      return `(\n${deeper}${layout(inner, deeper)}\n${indent})`;
    }
    return own;
  };
  const top = tree.topNode.firstChild;
  if (!top || top.nextSibling || expr.length <= LINE) return expr;
  let error = false;
  tree.iterate({ enter: (n) => void (n.type.isError && (error = true)) });
  return error ? expr : layout(top, '');
}

function renderRule(rule: Rule): Record<string, unknown> {
  if (!isAlertRule(rule)) {
    return { record: rule.record, expr: prettyPromQL(rule.expr), ...(rule.labels ? { labels: { ...rule.labels } } : {}) };
  }
  return {
    alert: rule.alert,
    expr: prettyPromQL(rule.expr),
    ...(rule.for ? { for: rule.for } : {}),
    ...(rule.keepFiringFor ? { keep_firing_for: rule.keepFiringFor } : {}),
    labels: alertLabels(rule),
    annotations: { summary: rule.summary, description: rule.description, runbook_url: rule.runbookUrl },
  };
}

/** The labels the rule itself puts on its alerts. */
function alertLabels(rule: AlertRule): Record<string, string> {
  return { ...rule.labels, severity: rule.severity };
}

/** A Prometheus rule file (`groups:`), as `promtool check rules` and Prometheus's `rule_files` read it. */
export function renderRuleFile(groups: readonly RuleGroup[]): Record<string, unknown> {
  return {
    groups: groups.map((group) => ({
      name: group.name,
      ...(group.interval ? { interval: group.interval } : {}),
      rules: group.rules.map(renderRule),
    })),
  };
}

const LABEL_REF = /\{\{-?\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*-?\}\}/g;
const VALUE_REF = /\{\{-?\s*\$value(?:\s*\|\s*([a-zA-Z0-9]+))?\s*-?\}\}/g;

/**
 * Fills in `{{ $labels.x }}` the way Prometheus does (a missing label is empty). Anything else in a template
 * (`$value`, functions) cannot be predicted here, so the example must spell the expected text out.
 */
export function expandLabelTemplate(template: string, labels: Readonly<Record<string, string>>, where: string): string {
  return expandTemplate(template, labels, undefined, where);
}

/**
 * Fills in `{{ $labels.x }}` and, given the alert's value, `{{ $value }}` piped through one of Prometheus's
 * humanize functions (`humanize`, `humanize1024`, `humanizeDuration`, `humanizePercentage`). Anything else must
 * be spelled out in the example.
 */
export function expandTemplate(
  template: string,
  labels: Readonly<Record<string, string>>,
  value: number | undefined,
  where: string,
): string {
  let text = template.replace(LABEL_REF, (_, name: string) => labels[name] ?? '');
  if (value !== undefined) {
    text = text.replace(VALUE_REF, (whole, fn: string | undefined) => {
      if (fn === undefined) return String(value);
      const format = VALUE_FUNCTIONS[fn];
      return format ? format(value) : whole;
    });
  }
  if (text.includes('{{')) {
    throw new Error(
      `${where}: the template uses more than {{ $labels.<name> }}${value === undefined ? ' and the example gives no value' : ''}; ` +
        `give the expected text in the example (summary/description) instead: ${template}`,
    );
  }
  return text;
}

const durationMinutes = (d: string) => Math.round((parsePrometheusDuration(d) ?? 0) / 60_000);

const intervalOf = (example: { readonly interval?: string }) => example.interval ?? '1m';

/** The sample intervals the examples of some groups use (each needs its own test file, see renderRuleTestFile). */
export function exampleIntervals(groups: readonly RuleGroup[], parts: TestParts = ALL_PARTS): string[] {
  const intervals = groups.flatMap((g) =>
    g.rules
      .filter(isAlertRule)
      .flatMap((r) => [
        ...(parts.examples ? [r.examples.fires, ...silentExamples(r.examples)] : []),
        ...(parts.scenarios ? (r.examples.scenarios ?? []) : []),
      ])
      .map(intervalOf),
  );
  return [...new Set(intervals)].sort((a, b) => (a === '1m' ? -1 : b === '1m' ? 1 : a.localeCompare(b)));
}

/**
 * The number of firing episodes over (0, until] of the alerts `matchers` select, summed over alert names: at every
 * evaluation step, 1 for each alert name firing now that was not one step before. Read from the `ALERTS` series
 * Prometheus (and promtool) writes at every evaluation; a resolved alert gets a stale marker, so "not firing" is an
 * absent series.
 */
export function episodesExpr(matchers: Readonly<Record<string, string>>, until: string, step: string): string {
  const selector = `ALERTS{${Object.entries({ alertstate: 'firing', ...matchers })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(', ')}}`;
  const now = `max by (alertname) (${selector})`;
  const before = `max by (alertname) (${selector} offset ${step})`;
  const risingEdges = `(${now} > bool (${before} or 0 * ${now}))`;
  // promtool caps the samples a query may hold (10,000 points): count a long stretch a day at a time.
  const total = durationMinutes(until);
  const pieces: string[] = [];
  for (let end = total; end > 0; end -= EPISODE_CHUNK_MINUTES) {
    const range = Math.min(EPISODE_CHUNK_MINUTES, end);
    const offset = total - end;
    pieces.push(`(sum(sum_over_time(${risingEdges}[${range}m:${step}]${offset > 0 ? ` offset ${offset}m` : ''})) or vector(0))`);
  }
  return pieces.join(' + ');
}

const EPISODE_CHUNK_MINUTES = 1440;

function scenarioTest(rule: AlertRule, scenario: Scenario): Record<string, unknown> {
  const step = intervalOf(scenario);
  const matchersOf = (check: EpisodeCheck) => {
    if (check.severity !== undefined) return { ...scenario.labels, severity: check.severity };
    const alert = check.alert ?? rule.alert;
    return { alertname: alert, ...(alert === rule.alert ? { ...scenario.labels, ...alertLabels(rule) } : scenario.labels) };
  };
  const name = `${rule.alert} episodes: ${scenario.name}`;
  // promtool names only the expression of a failed check: a PromQL comment puts the case and the count in it.
  const label = (what: string) => `# ${name} — ${what}\n`;
  return {
    name,
    interval: step,
    input_series: scenario.series.map((s) => ({ series: s.series, values: s.values })),
    promql_expr_test: [
      ...scenario.checks.map((check) => ({
        expr: label(`${check.severity ? `${check.severity} alerts` : (check.alert ?? rule.alert)} episodes by ${check.until}`) + episodesExpr(matchersOf(check), check.until, step),
        eval_time: check.until,
        exp_samples: [{ labels: '{}', value: check.episodes }],
      })),
      ...(scenario.never ?? []).map((never) => {
        const end = scenario.checks.map((c) => durationMinutes(c.until)).reduce((a, b) => Math.max(a, b), 0);
        return {
          expr: `${label(`never: ${never.what}`)}count_over_time((${never.expr})[${end - durationMinutes(never.from)}m:${step}])`,
          eval_time: `${end}m`,
          exp_samples: [],
        };
      }),
    ],
  };
}

/** Which cases a test file holds: the examples (firing and silent), the scenarios, or both. */
export interface TestParts {
  readonly examples: boolean;
  readonly scenarios: boolean;
}

const ALL_PARTS: TestParts = { examples: true, scenarios: true };

function alertTests(rule: AlertRule, interval: string, parts: TestParts = ALL_PARTS): Record<string, unknown>[] {
  if (!parts.examples) return (rule.examples.scenarios ?? []).filter((s) => intervalOf(s) === interval).map((s) => scenarioTest(rule, s));
  const { fires } = rule.examples;
  const firing = {
    name: `${rule.alert} fires: ${fires.name}`,
    interval: intervalOf(fires),
    input_series: fires.series.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: [
      {
        eval_time: fires.evalTime,
        alertname: rule.alert,
        exp_alerts: fires.alerts.map((expected, i) => {
          const where = `${rule.alert} examples.fires.alerts[${i}]`;
          const labels = { ...expected.labels, ...alertLabels(rule) };
          return {
            exp_labels: labels,
            exp_annotations: {
              summary: expected.summary ?? expandTemplate(rule.summary, labels, expected.value, `${where}.summary`),
              description: expected.description ?? expandTemplate(rule.description, labels, expected.value, `${where}.description`),
              runbook_url: rule.runbookUrl,
            },
          };
        }),
      },
    ],
  };
  return [
    ...(intervalOf(fires) === interval ? [firing] : []),
    ...silentExamples(rule.examples)
      .filter((quiet) => intervalOf(quiet) === interval)
      .map((quiet) => ({
        name: `${rule.alert} stays silent: ${quiet.name}`,
        interval: intervalOf(quiet),
        input_series: quiet.series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [{ eval_time: quiet.evalTime, alertname: rule.alert, exp_alerts: [] }],
      })),
    ...(parts.scenarios ? (rule.examples.scenarios ?? []).filter((s) => intervalOf(s) === interval).map((s) => scenarioTest(rule, s)) : []),
  ];
}

/**
 * A `promtool test rules` file with a firing and a silent case for every alert in `groups`, built from the
 * examples each alert carries. `ruleFiles` are the rule files to load, relative to where this file is written.
 * Groups are evaluated in the order given (promtool's `group_eval_order`), so an alert reading a series that an
 * earlier group records sees it at the same evaluation, as it would one interval later in Prometheus.
 *
 * promtool evaluates every rule at `evaluation_interval` for as long as a case runs, so examples that span days
 * (the slow burn-rate alerts) sample every 5m and go to a file evaluated every 5m: pass their `interval` here.
 */
export function renderRuleTestFile(
  groups: readonly RuleGroup[],
  ruleFiles: readonly string[],
  evaluationOrder: readonly RuleGroup[] = groups,
  interval = '1m',
  parts: TestParts = ALL_PARTS,
): Record<string, unknown> {
  return {
    rule_files: [...ruleFiles],
    evaluation_interval: interval,
    ...(evaluationOrder.length > 1 ? { group_eval_order: evaluationOrder.map((g) => g.name) } : {}),
    tests: groups.flatMap((group) => group.rules.filter(isAlertRule).flatMap((rule) => alertTests(rule, interval, parts))),
  };
}
