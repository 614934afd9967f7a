import { defineMixin } from '../../mixin/define';
import { galwayAlerts } from './alerts';
import { checkGalwayConfig, galwayParams } from './config';
import { galwayDashboards, galwayFleetPanels } from './dashboards';
import { galwayMetrics } from './metrics';
import { GALWAY_RECORDED } from './recorded';
import { galwayRecordingRules } from './rules';

/**
 * Galway (specify-cli / jp-spec-kit; ../shared/seeds/003_*): backlog, security-scanning, CI/CD, DORA and developer
 * workflow metrics; the Developer Productivity, CI/CD Health and Security dashboards; the critical_alerts (1m) and
 * warning_alerts (5m) groups with the six alerts the document names; its pre-computed queries as recording rules.
 * Requirements and choices: docs/systems.md, docs/systems-extract/galway.md.
 */
export const galway = defineMixin({
  name: 'galway',
  version: '1.0.0',
  scope: 'service',
  description: 'Galway: backlog, security, CI/CD, DORA and workflow metrics; three dashboards; six alerts in a 1m and a 5m group.',
  params: galwayParams,
  check: checkGalwayConfig,
  metrics: (c) => galwayMetrics(c),
  recorded: Object.values(GALWAY_RECORDED),
  recordingRules: galwayRecordingRules,
  // Day-long windows (success over 24h, completions per day, lead time over 7d) need no more than a minute.
  recordingInterval: '1m',
  alerts: galwayAlerts,
  dashboards: galwayDashboards,
  fleetPanels: galwayFleetPanels,
  // For the simulator (the document gives no values): the tools and commands Galway's document names, and people.
  labelExamples: {
    tool: ['bandit', 'semgrep', 'pip-audit'],
    scan_type: ['sast', 'dependency', 'secrets'],
    exported_job: ['lint', 'test', 'build'],
    command: ['specify', 'plan', 'tasks', 'implement'],
    phase: ['specify', 'plan', 'tasks', 'implement'],
    assignee: ['alice', 'bob', 'carol'],
    reviewer: ['alice', 'bob', 'carol'],
  },
});

export { ciPipelineDurationWithin, ciPipelineSuccess } from './slos';
export type { GalwayConfig } from './config';
