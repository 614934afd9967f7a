import { param, type ConfigOf } from '../../mixin/params';
import { COVETPY_BUCKETS } from './metrics';

/** covetpy() parameters: the request buckets and the cardinality budget of the ADR's MetricsConfig. */
export const covetpyParams = {
  buckets: param.buckets(COVETPY_BUCKETS, { description: 'Buckets of http_request_duration, in seconds (ADR Python default; set finer ones to see sub-millisecond anomalies).' }),
  maxCardinality: param.number(10000, { description: 'Series budget per scrape (ADR MetricsConfig.max_cardinality).', min: 1, integer: true }),
  cardinalityWarnRatio: param.ratio(0.8, 'Share of maxCardinality above which CovetPyCardinalityHigh fires (ours).'),
  cardinalityFor: param.duration('15m', { description: 'How long the series count must stay high (ours).', max: '1d' }),
};

export type CovetpyConfig = ConfigOf<typeof covetpyParams>;
