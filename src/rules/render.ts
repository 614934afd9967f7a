import { isAlertRule, isNeverSilent, type AlertRule, type Rule, type RuleGroup } from './model';

function renderRule(rule: Rule): Record<string, unknown> {
  if (!isAlertRule(rule)) {
    return { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: { ...rule.labels } } : {}) };
  }
  return {
    alert: rule.alert,
    expr: rule.expr,
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

/**
 * Fills in `{{ $labels.x }}` the way Prometheus does (a missing label is empty). Anything else in a template
 * (`$value`, functions) cannot be predicted here, so the example must spell the expected text out.
 */
export function expandLabelTemplate(template: string, labels: Readonly<Record<string, string>>, where: string): string {
  const text = template.replace(LABEL_REF, (_, name: string) => labels[name] ?? '');
  if (text.includes('{{')) {
    throw new Error(
      `${where}: the template uses more than {{ $labels.<name> }}; give the expected text in the example ` +
        `(summary/description) instead: ${template}`,
    );
  }
  return text;
}

function alertTests(rule: AlertRule): Record<string, unknown>[] {
  const { fires, silent } = rule.examples;
  const firing = {
    name: `${rule.alert} fires: ${fires.name}`,
    interval: fires.interval ?? '1m',
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
              summary: expected.summary ?? expandLabelTemplate(rule.summary, labels, `${where}.summary`),
              description: expected.description ?? expandLabelTemplate(rule.description, labels, `${where}.description`),
              runbook_url: rule.runbookUrl,
            },
          };
        }),
      },
    ],
  };
  if (isNeverSilent(silent)) return [firing];
  return [
    firing,
    {
      name: `${rule.alert} stays silent: ${silent.name}`,
      interval: silent.interval ?? '1m',
      input_series: silent.series.map((s) => ({ series: s.series, values: s.values })),
      alert_rule_test: [{ eval_time: silent.evalTime, alertname: rule.alert, exp_alerts: [] }],
    },
  ];
}

/**
 * A `promtool test rules` file with a firing and a silent case for every alert in `groups`, built from the
 * examples each alert carries. `ruleFiles` are the rule files to load, relative to where this file is written.
 */
export function renderRuleTestFile(
  groups: readonly RuleGroup[],
  ruleFiles: readonly string[],
): Record<string, unknown> {
  return {
    rule_files: [...ruleFiles],
    evaluation_interval: '1m',
    tests: groups.flatMap((group) => group.rules.filter(isAlertRule).flatMap(alertTests)),
  };
}
