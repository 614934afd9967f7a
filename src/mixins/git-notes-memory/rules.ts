import type { RecordingRule } from '../../alerts/model';
import { countSeries, div, rate, sumBy, sumSeries } from '../../promql/expr';
import { memoryCaptureDurationMs, memorySearchDurationMs } from './metrics';
import { GIT_NOTES_MEMORY_RECORDED as R } from './recorded';

const SERVICE = ['service_name'];

/** Once for every service listing gitNotesMemory(). (The hook timeout rate depends on each service's timeouts: panels.) */
export function gitNotesMemoryRecordingRules(): RecordingRule[] {
  return [
    { record: R.captureMean.name, expr: div(sumBy(SERVICE, rate(sumSeries(memoryCaptureDurationMs), '5m')), sumBy(SERVICE, rate(countSeries(memoryCaptureDurationMs), '5m'))) },
    { record: R.searchMean.name, expr: div(sumBy(SERVICE, rate(sumSeries(memorySearchDurationMs), '5m')), sumBy(SERVICE, rate(countSeries(memorySearchDurationMs), '5m'))) },
  ];
}
