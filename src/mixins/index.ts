/**
 * obskit's built-in mixins. A spec lists them (and its own) on services and at stack level; see src/mixin for the
 * mechanism and README "Write a mixin".
 */
import { logsTraces } from './logs-traces';
import { stackHealth } from './stack-health';
import { kubernetes } from './kubernetes';
import type { MixinUse } from '../mixin/define';

export { http, httpAvailability, httpLatency } from './http';
export { nodejs } from './nodejs';
export { pythonRuntime } from './python';
export { stackHealth } from './stack-health';
export { logsTraces } from './logs-traces';
export { kubernetes } from './kubernetes';
export { demoShop } from './demo';

/**
 * The stack mixins a spec gets when it lists none. `kubernetes()` is among them: it runs in the Kubernetes target only
 * (compose has no cluster), where without it nothing would show a pod restarting, an OOM kill or obskit's own volumes
 * filling up; its cost is one small kube-state-metrics Deployment and three scrape jobs.
 */
export const defaultStackMixins = (): MixinUse[] => [stackHealth(), logsTraces(), kubernetes()];
export { zephyr, zephyrAvailability, zephyrLatency } from './zephyr';
export { capturesWithoutError, gitNotesMemory, hookWithinTimeout } from './git-notes-memory';
export { galway, ciPipelineSuccess, ciPipelineDurationWithin } from './galway';
export { covetpy, covetpyAvailability, covetpyLatency } from './covetpy';
