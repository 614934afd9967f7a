import { SpecError, resolveSpec, type StackSpec, type StackSpecInput } from '../spec';

/** The spec module could not be loaded or is invalid: the check cannot start (exit 2). */
export class SpecLoadError extends Error {}

/** Loads a spec module (exporting `stack`, as synth reads it) and validates it whole. */
export function loadSpecModule(specModule: string): StackSpec {
  let mod: { stack?: StackSpecInput; default?: StackSpecInput };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(specModule) as typeof mod;
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${specModule}'`)) {
      throw new SpecLoadError(`no spec module at ${specModule} (--spec names a .ts file exporting "stack")`);
    }
    throw new SpecLoadError(`loading the spec ${specModule} failed: ${e.name}: ${e.message.split('\n')[0]}`);
  }
  const input = mod.stack ?? mod.default;
  if (input === undefined) throw new SpecLoadError(`${specModule} exports no "stack"`);
  try {
    return resolveSpec(input);
  } catch (error) {
    if (error instanceof SpecError) throw new SpecLoadError(`${specModule}: ${error.message}`);
    throw error;
  }
}
