import type { AlertBody, AlertTemplate } from '../../alerts/define';
import { gauge, input, minutes, minutesOf } from '../../alerts/examples';
import { Rational } from '../../promql/decimal';
import { gt, maxBy, num, series } from '../../promql/expr';
import type { AlertContext } from '../../mixin';
import { gitNotesMemoryParams, type GitNotesMemoryConfig } from './config';
import { hookTimeoutPctUsed } from './metrics';

/**
 * "Timeout Warnings: `hook_timeout_pct_used > 80`" (Hook Performance Dashboard): one alert per hook, whatever the
 * session. Severity warning (the panel's word) and the `for` are ours: the document gives neither
 * (docs/systems-extract/git-notes-memory.md C9).
 */
function hookNearTimeout(service: string, c: GitNotesMemoryConfig): AlertTemplate {
  return {
    alert: 'GitNotesMemoryHookNearTimeout',
    runbook: 'GitNotesMemoryHookNearTimeout.md',
    thresholdCheck: gitNotesMemoryParams.hookTimeoutWarnPct.check,
    service,
    labels: { service_name: service },
    severity: 'warning',
    for: c.hookTimeoutWarnFor,
    threshold: c.hookTimeoutWarnPct,
    build: ({ threshold, for: forDuration }): AlertBody => {
      if (threshold === undefined) throw new Error('threshold missing');
      const t = Rational.of(threshold);
      const length = minutesOf(forDuration) + 3;
      const target = { job: service, instance: `${service}:9464`, service_name: service, session_id: 'laptop:a1b2c3d4:20251225T120000:e5f6g7h8', hook: 'user_prompt' };
      const at = (pct: Rational) => [input(hookTimeoutPctUsed.name, target, gauge({ minutes: length, value: pct }))];
      const high = t.plus(Rational.of(100).minus(t).div(2));
      return {
        expr: gt(maxBy(['service_name', 'hook'], series(hookTimeoutPctUsed, { service_name: service })), num(t)),
        summary: `${service}: the {{ $labels.hook }} hook uses more than ${t}% of its timeout.`,
        description:
          `The latest run of the {{ $labels.hook }} hook of {{ $labels.service_name }} used {{ $value | humanize }}% of its timeout ` +
          `(threshold ${t}%) for more than ${forDuration}. Claude Code kills a hook at its timeout and the memory work of that run is lost.`,
        examples: {
          fires: { name: `${high}% of the timeout`, series: at(high), evalTime: minutes(length), alerts: [{ labels: { service_name: service, hook: 'user_prompt' }, value: high.toNumber() }] },
          silent: { name: `${t.div(2)}% of the timeout`, series: at(t.div(2)), evalTime: minutes(length) },
        },
      };
    },
  };
}

export function gitNotesMemoryAlerts({ service, config }: AlertContext<GitNotesMemoryConfig>): AlertTemplate[] {
  if (!service) throw new Error('gitNotesMemory is a service mixin');
  return [hookNearTimeout(service.name, config)];
}
