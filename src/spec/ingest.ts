import { DEFAULT_PUSH_STALE_AFTER, type Duration, type ServiceSpec, type StackSpec } from './types';

/** A service Prometheus scrapes: validation guarantees its port. */
export type ScrapedService = ServiceSpec & { readonly port: number };

export const isPushOnly = (service: ServiceSpec): boolean => service.ingest === 'otlp';

/** The services that get a scrape job (every service but the push-only ones). */
export function scrapedServices(spec: Pick<StackSpec, 'services'>): ScrapedService[] {
  return spec.services.filter((s): s is ScrapedService => !isPushOnly(s) && s.port !== undefined);
}

/** How long a push-only service may go without a pushed sample before it counts as down. */
export const staleAfterOf = (service: ServiceSpec): Duration => service.staleAfter ?? DEFAULT_PUSH_STALE_AFTER;
