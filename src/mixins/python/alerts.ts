import type { AlertTemplate } from '../../alerts/define';
import { gaugeAlert } from '../../alerts/gauge';
import type { AlertContext } from '../../mixin';
import { pythonParams, type PythonConfig } from './config';
import { py } from './metrics';

/** ServiceMemoryHigh for a Python service (same alert, same runbook as for Node.js: resident memory). */
export function pythonAlerts({ service, config }: AlertContext<PythonConfig>): AlertTemplate[] {
  if (!service) throw new Error('pythonRuntime is a service mixin');
  return [
    gaugeAlert(service.name, {
      alert: 'ServiceMemoryHigh',
      runbook: 'ServiceMemoryHigh.md',
      thresholdCheck: pythonParams.memoryBytes.check,
      metric: py.process_resident_memory_bytes,
      threshold: config.memoryBytes,
      for: config.memoryFor,
      unit: 'bytes',
      what: 'resident memory',
      consequence: 'It may soon be killed for running out of memory (OOM); a steady climb is usually a leak.',
    }),
  ];
}
