import { SpecError, resolveSpec, type StackSpec, type StackSpecInput } from '../spec';
import { aliasObskitImports } from './obskit-imports';

/** Loads a spec module (TypeScript through tsx) and resolves its exported `stack` (or default export). */
export function loadSpec(specModule: string): StackSpec {
  aliasObskitImports();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(specModule) as { stack?: StackSpecInput; default?: StackSpecInput };
  const input = mod.stack ?? mod.default;
  if (input === undefined) throw new SpecError([{ path: '(spec)', message: `${specModule} exports no "stack"` }]);
  return resolveSpec(input);
}
