/**
 * Catalogs of the stack's own metrics, defined with the SDK catalog's `defineMetric` so rules and dashboards
 * query them through the same typed helpers as service metrics. Each file says where its names come from.
 */
import { defineCatalog } from '../../../sdk/catalog/catalog';
import { alertmanagerMetrics } from './alertmanager';
import { blackboxMetrics } from './blackbox';
import { collectorMetrics } from './collector';
import { lokiMetrics } from './loki';
import { prometheusMetrics } from './prometheus';
import { tempoMetrics } from './tempo';

export * as prometheus from './prometheus';
export * as alertmanager from './alertmanager';
export * as collector from './collector';
export * as loki from './loki';
export * as tempo from './tempo';
export * as blackbox from './blackbox';

export const prometheusCatalog = defineCatalog(prometheusMetrics);
export const alertmanagerCatalog = defineCatalog(alertmanagerMetrics);
export const collectorCatalog = defineCatalog(collectorMetrics);
export const lokiCatalog = defineCatalog(lokiMetrics);
export const tempoCatalog = defineCatalog(tempoMetrics);
export const blackboxCatalog = defineCatalog(blackboxMetrics);

/** Every stack catalog by the component it describes (the source the PromQL checker names). */
export const STACK_CATALOGS = {
  prometheus: prometheusCatalog,
  alertmanager: alertmanagerCatalog,
  collector: collectorCatalog,
  loki: lokiCatalog,
  tempo: tempoCatalog,
  blackbox: blackboxCatalog,
} as const;

/** All stack metrics in one catalog (names are unique across components). */
export const stackCatalog = defineCatalog(prometheusMetrics, alertmanagerMetrics, collectorMetrics, lokiMetrics, tempoMetrics, blackboxMetrics);
