import { defineMixin } from '../../mixin/define';
import { gitNotesMemoryAlerts } from './alerts';
import { checkGitNotesMemoryConfig, gitNotesMemoryParams } from './config';
import { gitNotesMemoryFleetPanels, hookPerformance, memoryOperations } from './dashboards';
import { gitNotesMemoryMetrics } from './metrics';
import { GIT_NOTES_MEMORY_RECORDED } from './recorded';
import { gitNotesMemoryRecordingRules } from './rules';

/**
 * git-notes-memory (a Claude Code plugin; ../shared/seeds/000_*, progress log 001_*): capture, search, embed and
 * index latency with buckets set by the hook timeouts, capture/search counters and errors, hook invocations, errors
 * and timeout use, all by `session_id`; the Memory Operations and Hook Performance dashboards; an alert when a hook
 * uses more than 80% of its timeout. Requirements and choices: docs/systems.md, docs/systems-extract/git-notes-memory.md.
 */
export const gitNotesMemory = defineMixin({
  name: 'git-notes-memory',
  version: '1.0.0',
  scope: 'service',
  description: 'git-notes-memory: operation and hook latency, counters and timeouts by session; two dashboards; a hook-timeout alert.',
  params: gitNotesMemoryParams,
  check: checkGitNotesMemoryConfig,
  metrics: (c) => gitNotesMemoryMetrics(c.latencyBucketsMs),
  recorded: Object.values(GIT_NOTES_MEMORY_RECORDED),
  recordingRules: gitNotesMemoryRecordingRules,
  alerts: gitNotesMemoryAlerts,
  dashboards: (ctx) => [memoryOperations(ctx), hookPerformance(ctx)],
  fleetPanels: gitNotesMemoryFleetPanels,
  // For the simulator (the document gives no values): Claude Code session ids, and plausible outcomes.
  labelExamples: { session_id: ['3f9c2e1a', '5b7d0e44', 'c81f6a90'], status: ['success', 'error'], error: ['timeout', 'git_error', 'embedding_error'] },
});

export { capturesWithoutError, hookWithinTimeout } from './slos';
export { HOOKS, LATENCY_BUCKETS_MS } from './metrics';
export type { GitNotesMemoryConfig } from './config';
