import type { AlertTemplate } from '../../alerts/define';
import { gaugeAlert } from '../../alerts/gauge';
import type { AlertContext } from '../../mixin';
import { nodejsParams, type NodejsConfig } from './config';
import { nodeMetric } from './metrics';

/** ServiceMemoryHigh and ServiceEventLoopLagHigh for a Node.js service. */
export function nodejsAlerts({ service, config }: AlertContext<NodejsConfig>): AlertTemplate[] {
  if (!service) throw new Error('nodejs is a service mixin');
  return [
    gaugeAlert(service.name, {
      alert: 'ServiceMemoryHigh',
      runbook: 'ServiceMemoryHigh.md',
      thresholdCheck: nodejsParams.memoryBytes.check,
      metric: nodeMetric('process_resident_memory_bytes'),
      threshold: config.memoryBytes,
      for: config.memoryFor,
      unit: 'bytes',
      what: 'resident memory',
      consequence: 'It may soon be killed for running out of memory (OOM); a steady climb is usually a leak.',
    }),
    gaugeAlert(service.name, {
      alert: 'ServiceEventLoopLagHigh',
      runbook: 'ServiceEventLoopLagHigh.md',
      thresholdCheck: nodejsParams.eventLoopLagSeconds.check,
      metric: nodeMetric('nodejs_eventloop_lag_p99_seconds'),
      threshold: config.eventLoopLagSeconds,
      for: config.eventLoopLagFor,
      unit: 'seconds',
      what: 'p99 event-loop delay',
      consequence: 'Every request it handles waits that long on top of its own work: something blocks the event loop.',
    }),
  ];
}
