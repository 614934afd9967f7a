/**
 * Grafana provisioning (datasources, dashboard provider) and the GF_* environment shared by compose and
 * Kubernetes. Keys follow the Grafana 13 provisioning docs; test/config/reference/grafana-13.2.3.json lists
 * every key used here with the page it comes from.
 *
 * Both provisioning files are read by Grafana with environment-variable expansion, so a literal `$` in a
 * value (Grafana's own `${__value.raw}`, `$__tags` macros) is written `$$`.
 */
import type { StackSpec } from '../spec';
import { versions } from '../spec/versions';
import type { RenderContext } from './context';
import { isHa, metricsStore } from './ha';
import { lokiEndpoints } from './loki';
import { tempoEndpoints } from './tempo';

/** Fixed datasource uids: dashboards, alert rules and cross-datasource links refer to these. */
export const DATASOURCE_UIDS = {
  prometheus: 'prometheus',
  loki: 'loki',
  tempo: 'tempo',
  alertmanager: 'alertmanager',
} as const;

/** Exemplar label carrying the trace id (Tempo's metrics-generator is told to write this name too). */
export const TRACE_ID_LABEL = 'trace_id';
/** The one service label of the stack (Loki's OTLP ingestion and Tempo's span metrics both produce it). */
export const SERVICE_LABEL = 'service_name';

/** Keys of the admin Secret you create (spec.grafana.adminSecretName), mounted as files of these names. */
export const GRAFANA_ADMIN_SECRET_KEYS = { user: 'admin-user', password: 'admin-password' } as const;
/** Where the admin credentials are read from (files, never env values): the admin Secret is mounted here. */
export const GRAFANA_ADMIN_SECRET_DIR = '/run/secrets/grafana-admin';
export const GRAFANA_ADMIN_PASSWORD_FILE = `${GRAFANA_ADMIN_SECRET_DIR}/${GRAFANA_ADMIN_SECRET_KEYS.password}`;
export const GRAFANA_ADMIN_USER = 'admin';

/** Dashboard folder every provisioned obskit dashboard lands in. */
export const GRAFANA_DASHBOARD_FOLDER = { title: 'obskit', uid: 'obskit' } as const;

function url(ctx: RenderContext, component: 'prometheus' | 'loki' | 'tempo' | 'alertmanager'): string {
  return `http://${ctx.hosts[component]}:${ctx.ports[component].http}`;
}

/** `$` escaped for Grafana's provisioning env expansion. */
function literal(text: string): string {
  // A function, not the string '$$': in a replacement string `$$` itself means one `$`.
  return text.replaceAll('$', () => '$$');
}

const serviceTag = { key: 'service.name', value: SERVICE_LABEL };

/** What Grafana talks to behind the datasource, so it knows the API's features. */
function prometheusFlavour(spec: StackSpec): Record<string, string> {
  if (!isHa(spec)) return { prometheusType: 'Prometheus', prometheusVersion: versions.prometheus.tag.replace(/^v/, '') };
  // An external store may be Mimir, Thanos or Cortex: Grafana detects its features itself.
  return spec.ha.externalStore ? {} : { prometheusType: 'Thanos' };
}

function prometheusDatasource(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  return {
    name: 'Prometheus',
    type: 'prometheus',
    uid: DATASOURCE_UIDS.prometheus,
    access: 'proxy',
    orgId: 1,
    // `ha`: Thanos Query, which deduplicates the Prometheus pair (or the store the spec names instead).
    url: isHa(spec) ? metricsStore(spec, ctx).queryUrl : url(ctx, 'prometheus'),
    isDefault: true,
    editable: false,
    jsonData: {
      httpMethod: 'POST',
      ...prometheusFlavour(spec),
      timeInterval: spec.scrapeInterval,
      alertmanagerUid: DATASOURCE_UIDS.alertmanager,
      exemplarTraceIdDestinations: [{ name: TRACE_ID_LABEL, datasourceUid: DATASOURCE_UIDS.tempo }],
    },
  };
}

function lokiDatasource(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  const toTrace = { datasourceUid: DATASOURCE_UIDS.tempo, url: literal('${__value.raw}'), urlDisplayLabel: 'View trace' };
  const field = (name: string, matcherType: 'label' | 'regex', matcherRegex: string) => ({ name, matcherType, matcherRegex, ...toTrace });
  return {
    name: 'Loki',
    type: 'loki',
    uid: DATASOURCE_UIDS.loki,
    access: 'proxy',
    orgId: 1,
    url: `http://${lokiEndpoints(spec, ctx).query}`,
    isDefault: false,
    editable: false,
    jsonData: {
      maxLines: 1000,
      derivedFields: [
        // OTLP logs: Loki 3 stores the record's trace id as structured metadata `trace_id`, which Grafana
        // shows as a label; a `label` matcher is a regex on the label name.
        field('TraceID', 'label', literal(`^${TRACE_ID_LABEL}$`)),
        // Logs that carry it in the line instead: `trace_id=<hex>` (logfmt) or `"trace_id":"<hex>"` (JSON).
        field('TraceID in line', 'regex', `${TRACE_ID_LABEL}"?[=:]\\s*"?([0-9a-fA-F]{32})`),
      ],
    },
  };
}

function tempoDatasource(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  return {
    name: 'Tempo',
    type: 'tempo',
    uid: DATASOURCE_UIDS.tempo,
    access: 'proxy',
    orgId: 1,
    url: `http://${tempoEndpoints(spec, ctx).query}`,
    isDefault: false,
    editable: false,
    jsonData: {
      tracesToLogsV2: {
        datasourceUid: DATASOURCE_UIDS.loki,
        spanStartTimeShift: '-1m',
        spanEndTimeShift: '1m',
        filterByTraceID: true,
        filterBySpanID: false,
        tags: [serviceTag],
      },
      tracesToMetrics: {
        datasourceUid: DATASOURCE_UIDS.prometheus,
        spanStartTimeShift: '-2m',
        spanEndTimeShift: '2m',
        tags: [serviceTag],
        queries: [
          { name: 'Request rate', query: literal('sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))') },
          {
            name: 'Error rate',
            query: literal('sum(rate(traces_spanmetrics_calls_total{$__tags, status_code="STATUS_CODE_ERROR"}[5m]))'),
          },
          {
            name: 'p95 latency',
            query: literal('histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))'),
          },
        ],
      },
      serviceMap: { datasourceUid: DATASOURCE_UIDS.prometheus },
      nodeGraph: { enabled: true },
      search: { hide: false },
      streamingEnabled: { search: true, metrics: true },
    },
  };
}

function alertmanagerDatasource(ctx: RenderContext): Record<string, unknown> {
  return {
    name: 'Alertmanager',
    type: 'alertmanager',
    uid: DATASOURCE_UIDS.alertmanager,
    access: 'proxy',
    orgId: 1,
    url: url(ctx, 'alertmanager'),
    isDefault: false,
    editable: false,
    jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
  };
}

/** `provisioning/datasources/*.yaml`: the four datasources with fixed uids, linked to each other. */
export function renderGrafanaDatasources(spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  return {
    apiVersion: 1,
    // Datasources removed from this file are removed from Grafana too (the file is the source of truth).
    prune: true,
    datasources: [
      prometheusDatasource(spec, ctx),
      lokiDatasource(spec, ctx),
      tempoDatasource(spec, ctx),
      alertmanagerDatasource(ctx),
    ],
  };
}

/**
 * `provisioning/dashboards/*.yaml`: one file provider reading the generated dashboards (flat
 * `dist/dashboards/*.json`, mounted at `ctx.paths.grafanaDashboards`) into the folder "obskit".
 * `foldersFromFilesStructure` is off: it requires `folder` to be empty and the files are flat anyway.
 */
export function renderGrafanaDashboardProvider(_spec: StackSpec, ctx: RenderContext): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'obskit',
        orgId: 1,
        folder: GRAFANA_DASHBOARD_FOLDER.title,
        folderUid: GRAFANA_DASHBOARD_FOLDER.uid,
        type: 'file',
        disableDeletion: false,
        updateIntervalSeconds: 30,
        allowUiUpdates: false,
        options: { path: ctx.paths.grafanaDashboards, foldersFromFilesStructure: false },
      },
    ],
  };
}

/**
 * GF_* settings for both targets. No password is ever set here: Grafana reads it from
 * GRAFANA_ADMIN_PASSWORD_FILE (`GF_<SECTION>_<KEY>__FILE`). No feature toggle is needed: exemplars,
 * derived fields and trace-to-logs/metrics links are generally available in Grafana 13.
 */
export function grafanaEnvironment(spec: StackSpec, ctx: RenderContext): Record<string, string> {
  const kubernetes = ctx.target === 'kubernetes';
  const mode = spec.grafana.anonymousViewer;
  const anonymous = mode === 'always' || (mode === 'compose' && !kubernetes);
  return {
    GF_SERVER_HTTP_PORT: String(ctx.ports.grafana.http),
    // In Kubernetes the admin login comes from the same Secret as the password; locally it is "admin".
    ...(kubernetes
      ? { GF_SECURITY_ADMIN_USER__FILE: `${GRAFANA_ADMIN_SECRET_DIR}/${GRAFANA_ADMIN_SECRET_KEYS.user}` }
      : { GF_SECURITY_ADMIN_USER: GRAFANA_ADMIN_USER }),
    GF_SECURITY_ADMIN_PASSWORD__FILE: GRAFANA_ADMIN_PASSWORD_FILE,
    GF_USERS_ALLOW_SIGN_UP: 'false',
    GF_AUTH_ANONYMOUS_ENABLED: String(anonymous),
    ...(anonymous ? { GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' } : {}),
    GF_ANALYTICS_REPORTING_ENABLED: 'false',
    GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
    GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
    GF_NEWS_NEWS_FEED_ENABLED: 'false',
    // Logs to stdout only: the default also writes files under /var/log/grafana, which a read-only root refuses.
    GF_LOG_MODE: 'console',
    // Grafana 13 downloads and updates plugins from grafana.com at every start unless told not to: keep exactly
    // what the pinned image bundles (and no start-up egress, which Kubernetes' default-deny would refuse anyway).
    GF_PLUGINS_PREINSTALL_DISABLED: 'true',
    GF_PLUGINS_PREINSTALL_AUTO_UPDATE: 'false',
  };
}
