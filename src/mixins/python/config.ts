import { param, type ConfigOf } from '../../mixin/params';

export const pythonParams = {
  memoryBytes: param.number(1024 ** 3, { description: 'Resident memory of one instance, in bytes, above which ServiceMemoryHigh fires.', min: 1024 ** 2, integer: true }),
  memoryFor: param.duration('15m', { description: 'How long memory must stay high.', max: '1d' }),
};

export type PythonConfig = ConfigOf<typeof pythonParams>;
