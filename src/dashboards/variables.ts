/**
 * Template variables. Every dashboard names them the same way (`datasource`, `service_name`, `instance`, `route`,
 * `slo`, `search`), so the links between dashboards carry them across with `includeVars`.
 *
 * Queries put them where Grafana expands them: in label matcher values (`service_name="$service_name"`,
 * `instance=~"$instance"` for multi-value ones, which Grafana expands to a regex alternation), and in range
 * selectors through `RATE_INTERVAL`/`RANGE` (`[$__rate_interval]`). The checker substitutes sample values before
 * parsing (src/dashboards/check.ts).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE_UIDS } from '../config/grafana';
import { UP } from '../promql/builtin';
import { series, type Selector, type Window } from '../promql/expr';
import { RECORDED } from '../promql/recorded';
import { SERVICE_LABEL } from '../sdk/catalog/define';
import { PROMETHEUS } from './datasources';

/** The variables' names, as `templating.list[].name` and as URL parameters (`var-service_name=…`). */
export const VARIABLE_NAMES = {
  datasource: 'datasource',
  service: SERVICE_LABEL,
  instance: 'instance',
  route: 'route',
  slo: 'slo',
  search: 'search',
} as const;

/** The variables as queries reference them. Multi-value ones go in regex matchers (`re(VAR.instance)`). */
export const VAR = {
  datasource: '${datasource}',
  service: `$${VARIABLE_NAMES.service}`,
  instance: `$${VARIABLE_NAMES.instance}`,
  route: `$${VARIABLE_NAMES.route}`,
  slo: `$${VARIABLE_NAMES.slo}`,
  search: `$${VARIABLE_NAMES.search}`,
} as const;

/** A Grafana interval variable standing where PromQL takes a duration; Grafana replaces it before Prometheus sees it. */
export type GrafanaInterval = '$__rate_interval' | '$__range' | '$__interval';

/**
 * A Grafana interval as the PromQL builder's `Window`, so `rate(…, RATE_INTERVAL)` type-checks. `Window` means a
 * PromQL duration literal, and this is not one until Grafana expands it: keep it to dashboards (rules use
 * literals or recorded series), where the checker substitutes `5m` before parsing.
 */
export function grafanaWindow(variable: GrafanaInterval): Window {
  return variable as unknown as Window;
}

/** `$__rate_interval`: at least four scrape intervals, and never shorter than the query step. */
export const RATE_INTERVAL = grafanaWindow('$__rate_interval');
/** `$__range`: the whole time range of the dashboard (for instant "over the selected range" tables). */
export const RANGE = grafanaWindow('$__range');

/** A Prometheus variable query (`label_values(selector, label)`); the checker checks the selector as PromQL. */
export function labelValues(selector: Selector, label: string): string {
  return `label_values(${selector}, ${label})`;
}

const ALL: dashboard.VariableOption = { selected: true, text: 'All', value: '$__all' };

/** Which Prometheus the dashboard reads: the provisioned one (uid `prometheus`) unless you pick another. */
export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder(VARIABLE_NAMES.datasource)
    .label('Prometheus')
    .type('prometheus')
    .current({ selected: true, text: 'Prometheus', value: DATASOURCE_UIDS.prometheus });
}

export function prometheusQueryVariable(name: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

/**
 * One service at a time, from the services of the spec a dashboard serves (whether or not they use obskit's SDK,
 * and before Prometheus has scraped them).
 */
export function serviceVariable(services: readonly string[], defaultService: string): dashboard.CustomVariableBuilder {
  const option = (name: string): dashboard.VariableOption => ({ selected: name === defaultService, text: name, value: name });
  return new dashboard.CustomVariableBuilder(VARIABLE_NAMES.service)
    .label('Service')
    .values(services.join(','))
    .options(services.map(option))
    .current({ selected: true, text: defaultService, value: defaultService });
}

/** The service's instances (its scrape targets, from `up`), all by default. */
export function instanceVariable(): dashboard.QueryVariableBuilder {
  return prometheusQueryVariable(VARIABLE_NAMES.instance, labelValues(series(UP, { service_name: VAR.service }), 'instance'))
    .label('Instance')
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current(ALL);
}

/** A multi-value variable of one label's values on a selector, all by default (`route` over `http_route`). */
export function labelVariable(name: string, label: string, selector: Selector, title: string): dashboard.QueryVariableBuilder {
  return prometheusQueryVariable(name, labelValues(selector, label)).label(title).multi(true).includeAll(true).allValue('.+').current(ALL);
}

/** The service's SLOs, by the `slo` label the SLO recording rules write; all by default (one row each). */
export function sloVariable(): dashboard.QueryVariableBuilder {
  return prometheusQueryVariable(
    VARIABLE_NAMES.slo,
    labelValues(series(RECORDED.sloObjective, { service_name: VAR.service }), 'slo'),
  )
    .label('SLO')
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .current(ALL);
}

/** Free text the log panels filter lines by (empty: every line). */
export function searchVariable(): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(VARIABLE_NAMES.search)
    .label('Search logs')
    .defaultValue('')
    .current({ selected: false, text: '', value: '' });
}
