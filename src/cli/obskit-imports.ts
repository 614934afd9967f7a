import Module from 'node:module';
import { resolve } from 'node:path';
import { OBSKIT_ROOT } from './root';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
let aliased = false;

/**
 * Lets a spec kept outside this repository import obskit as `obskit/src/spec`, `obskit/src/mixins`, …: such imports
 * resolve to the obskit that is running, wherever the spec is and whatever its own node_modules hold, so the spec
 * and the command share one copy of every class (a second copy would fail `instanceof` checks and validation).
 */
export function aliasObskitImports(): void {
  if (aliased) return;
  aliased = true;
  const mod = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request, parent, isMain, options) {
    const mapped = request.startsWith('obskit/') ? resolve(OBSKIT_ROOT, request.slice('obskit/'.length)) : request;
    return original.call(this, mapped, parent, isMain, options);
  };
}
