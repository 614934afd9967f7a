import type { EventsSli, LatencySli } from '../../spec/types';
import { ciPipelineDuration, ciPipelineRuns } from './metrics';

/** CI runs that succeed are good (issue 11: "CI pipelines succeeding"); the objective is the spec's. */
export function ciPipelineSuccess(): EventsSli {
  return { metric: ciPipelineRuns.name, good: { status: 'success' }, events: 'CI runs', badEvents: 'did not succeed' };
}

/** CI runs that finish within `thresholdSeconds` are good; a bound of the service's pipelineDurationBuckets (600 by default). */
export function ciPipelineDurationWithin(thresholdSeconds: number): LatencySli {
  return { metric: ciPipelineDuration.name, threshold: thresholdSeconds, events: 'CI runs', badEvents: `took longer than ${thresholdSeconds}s` };
}
