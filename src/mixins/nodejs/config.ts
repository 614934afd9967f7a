import { param, type ConfigOf } from '../../mixin/params';

export const nodejsParams = {
  memoryBytes: param.number(1024 ** 3, { description: 'Resident memory of one instance, in bytes, above which ServiceMemoryHigh fires.', min: 1024 ** 2, integer: true }),
  memoryFor: param.duration('15m', { description: 'How long memory must stay high.', max: '1d' }),
  eventLoopLagSeconds: param.number(0.5, { description: 'p99 event-loop delay of one instance, in seconds, above which ServiceEventLoopLagHigh fires.', min: 0.001, max: 60 }),
  eventLoopLagFor: param.duration('10m', { description: 'How long the event-loop delay must stay high.', max: '1d' }),
};

export type NodejsConfig = ConfigOf<typeof nodejsParams>;
