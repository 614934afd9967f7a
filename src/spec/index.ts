export * from './types';
export { defaults, DEFAULT_SLO_MIN_REQUESTS } from './defaults';
export { versions, imageRef, type PinnedImage } from './versions';
export { IMAGE_CONTENTS, imageContents, type ImageContents, type ImageDirectory, type ImageSource } from './images';
export { resolveSpec, specForTarget, SpecError, formatPath, RESERVED_SERVICE_NAMES, type SpecProblem } from './validate';
export { parsePrometheusDuration, toGoDuration } from './duration';

import type { StackSpecInput } from './types';

/** Identity with a type: write your stack as `defineStack({ ... })` and the compiler checks every field. */
export function defineStack(spec: StackSpecInput): StackSpecInput {
  return spec;
}
export { isPushOnly, scrapedServices, staleAfterOf, type ScrapedService } from './ingest';
