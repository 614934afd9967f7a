import type { RecordingRule } from '../../alerts/model';
import { bucketSeries, countSeries, div, histogramQuantile, increase, mul, or, rate, series, sumBy, sumSeries } from '../../promql/expr';
import { backlogTaskCompleted, backlogTaskDuration, ciPipelineDuration, ciPipelineRuns } from './metrics';
import { GALWAY_RECORDED as R } from './recorded';

const S = 'service_name';

/** A share of CI runs with `status` over `w`: 0, not missing, when there are runs but none with that status. */
function runShare(status: string, w: '24h' | '10m') {
  const all = sumBy([S], rate(series(ciPipelineRuns), w));
  const some = sumBy([S], rate(series(ciPipelineRuns, { status }), w));
  return div(or(some, mul(0, all), { on: [S] }), all);
}

const meanDuration = (w: '7d' | '5m') =>
  div(sumBy([S, 'state_transition'], rate(sumSeries(backlogTaskDuration), w)), sumBy([S, 'state_transition'], rate(countSeries(backlogTaskDuration), w)));

/** Once for every service listing galway(); the document's queries, aggregated per service (G4, G5, G9). */
export function galwayRecordingRules(): RecordingRule[] {
  return [
    { record: R.pipelineSuccessRatio24h.name, expr: runShare('success', '24h') },
    { record: R.pipelineFailureRatio10m.name, expr: runShare('failure', '10m') },
    { record: R.pipelineP95.name, expr: histogramQuantile(0.95, sumBy([S, 'exported_job', 'le'], rate(bucketSeries(ciPipelineDuration), '1h'))) },
    { record: R.tasksCompleted1d.name, expr: sumBy([S], increase(series(backlogTaskCompleted), '1d')) },
    { record: R.taskDurationMean7d.name, expr: meanDuration('7d') },
    { record: R.taskDurationMean5m.name, expr: meanDuration('5m') },
  ];
}
