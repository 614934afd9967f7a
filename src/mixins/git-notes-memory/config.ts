import { param, type ConfigOf } from '../../mixin/params';
import { LATENCY_BUCKETS_MS, type Hook } from './metrics';

const timeout = (ms: number, hook: string, source: string) =>
  param.number(ms, { description: `Timeout of the ${hook} hook, in ms (${source}); one of latencyBucketsMs.`, min: 0, exclusive: true });

/**
 * gitNotesMemory() parameters. Hook timeouts from "Histogram Bucket Configuration" (UserPromptSubmit 2 s; "2-5s
 * (SessionStart, Stop)" read in the order listed; PreCompact 15 s; "default 30s" for the rest).
 */
export const gitNotesMemoryParams = {
  latencyBucketsMs: param.buckets(LATENCY_BUCKETS_MS, { description: 'Bucket bounds of every *_duration_ms histogram, in ms (DEFAULT_LATENCY_BUCKETS).' }),
  userPromptTimeoutMs: timeout(2000, 'user_prompt (UserPromptSubmit)', 'document: 2s'),
  sessionStartTimeoutMs: timeout(2000, 'session_start (SessionStart)', 'document: 2-5s, first of the two'),
  stopTimeoutMs: timeout(5000, 'stop (Stop)', 'document: 2-5s, second of the two'),
  preCompactTimeoutMs: timeout(15000, 'pre_compact (PreCompact)', 'document: 15s'),
  postToolUseTimeoutMs: timeout(30000, 'post_tool_use (PostToolUse)', 'document: default 30s'),
  hookTimeoutWarnPct: param.number(80, { description: 'Percent of its timeout a hook may use before GitNotesMemoryHookNearTimeout fires (document: 80).', min: 0, max: 100, exclusive: true }),
  hookTimeoutWarnFor: param.duration('5m', { description: 'How long a hook must stay above it (ours; the document gives none).', max: '1d' }),
};

export type GitNotesMemoryConfig = ConfigOf<typeof gitNotesMemoryParams>;

/** Each hook's timeout from the config. */
export function hookTimeouts(c: GitNotesMemoryConfig): Record<Hook, number> {
  return {
    session_start: c.sessionStartTimeoutMs,
    user_prompt: c.userPromptTimeoutMs,
    post_tool_use: c.postToolUseTimeoutMs,
    pre_compact: c.preCompactTimeoutMs,
    stop: c.stopTimeoutMs,
  };
}

const TIMEOUT_PARAMS = ['sessionStartTimeoutMs', 'userPromptTimeoutMs', 'postToolUseTimeoutMs', 'preCompactTimeoutMs', 'stopTimeoutMs'] as const;

/** Every hook timeout is a bucket bound: the timeout-rate panel and the SLOs count runs within it from the buckets. */
export function checkGitNotesMemoryConfig(c: GitNotesMemoryConfig): Array<[string, string]> {
  return TIMEOUT_PARAMS.filter((k) => !c.latencyBucketsMs.includes(c[k])).map((k) => [
    k,
    `must be one of latencyBucketsMs (${c.latencyBucketsMs.join(', ')}), got ${c[k]}`,
  ]);
}
