export { defineMixin, isMixinUse, configOf, configProblems, withBuckets } from './define';
export type { MixinDefinition, MixinFactory, MixinScope, MixinUse, AlertContext, DashboardContext } from './define';
export { param, type Param, type Params, type ConfigOf, type ConfigInput } from './params';
export * from './compose';
