/**
 * obskit's built-in mixins. A spec lists them (and its own) on services and at stack level; see src/mixin for the
 * mechanism and README "Write a mixin".
 */
import { logsTraces } from './logs-traces';
import { stackHealth } from './stack-health';
import type { MixinUse } from '../mixin/define';

export { http, httpAvailability, httpLatency } from './http';
export { nodejs } from './nodejs';
export { pythonRuntime } from './python';
export { stackHealth } from './stack-health';
export { logsTraces } from './logs-traces';
export { demoShop } from './demo';

/** The stack mixins a spec gets when it lists none. */
export const defaultStackMixins = (): MixinUse[] => [stackHealth(), logsTraces()];
export { zephyr, zephyrAvailability, zephyrLatency } from './zephyr';
export { capturesWithoutError, gitNotesMemory, hookWithinTimeout } from './git-notes-memory';
export { galway, ciPipelineSuccess, ciPipelineDurationWithin } from './galway';
export { covetpy, covetpyAvailability, covetpyLatency } from './covetpy';
