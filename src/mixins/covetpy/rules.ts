import type { RecordingRule } from '../../alerts/model';
import { add, div, mul, or, rate, series, sumBy } from '../../promql/expr';
import { httpRequestsErrorsTotal, httpRequestsTotal } from './metrics';
import { COVETPY_RECORDED as R } from './recorded';

const S = ['service_name'];
const on = { on: S };

/**
 * Once for every service listing covetpy(): all requests (returned + raised) and the share that raised, over 5m.
 * Either counter may not exist yet (no error so far; or every request failing), hence `or 0 * other`.
 */
export function covetpyRecordingRules(): RecordingRule[] {
  const returned = sumBy(S, rate(series(httpRequestsTotal), '5m'));
  const raised = sumBy(S, rate(series(httpRequestsErrorsTotal), '5m'));
  const returnedOr0 = or(returned, mul(0, raised), on);
  const raisedOr0 = or(raised, mul(0, returned), on);
  return [
    { record: R.requestRate.name, expr: add(returnedOr0, raisedOr0, on) },
    { record: R.errorRatio.name, expr: div(raisedOr0, series(R.requestRate), on) },
  ];
}
