import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import type { Tree } from '@lezer/common';
import { checkLogAndTraceQueries, logqlOf, panelsOf, substituteVariables, traceqlOf } from '../../src/dashboards/check';
import { buildDashboards, dashboardProblems } from '../../src/dashboards';
import { checkLogQL } from '../../src/logql/check';
import { lokiLabelName, OTLP_DEFAULT_INDEX_ATTRIBUTES, STREAM_LABELS } from '../../src/logql/stream-labels';
import { checkTraceQL } from '../../src/traceql/check';
import { knownSeries } from '../../src/promql/known';
import reference from '../config/reference/loki-3.7.8.json';
import { dashboard, dashboards, FILES, spec, type Json } from './support';

const hasError = (tree: Tree): boolean => {
  let error = false;
  tree.iterate({ enter: (n) => void (error ||= n.type.isError) });
  return error;
};

const targetsOn = (model: Json, type: string) =>
  panelsOf(model).flatMap((p) => ((p.targets as Json[] | undefined) ?? []).filter((t) => (t.datasource as Json).type === type));

describe('every LogQL and TraceQL query of every dashboard', () => {
  it.each(FILES)('%s: parses with lezer-logql / lezer-traceql and passes the checks', (file) => {
    const model = dashboard(file);
    expect(logqlOf(model)).toHaveLength(targetsOn(model, 'loki').length);
    expect(traceqlOf(model)).toHaveLength(targetsOn(model, 'tempo').length);
    for (const { where, expr } of logqlOf(model)) {
      expect({ where, parseError: hasError(logqlParser.parse(substituteVariables(expr))) }).toEqual({ where, parseError: false });
    }
    for (const { where, expr } of traceqlOf(model)) {
      expect({ where, parseError: hasError(traceqlParser.parse(substituteVariables(expr))) }).toEqual({ where, parseError: false });
    }
    expect(checkLogAndTraceQueries(model, file)).toEqual([]);
  });

  it('finds the Loki and Tempo panels of the logs and traces dashboard', () => {
    const model = dashboard('logs-traces.json');
    expect(logqlOf(model).map((q) => q.where)).toEqual(['panel 2 "Log volume" target A', 'panel 3 "Logs" target A']);
    expect(traceqlOf(model).map((q) => q.where)).toEqual([
      'panel 5 "Recent traces" target A',
      'panel 6 "Traces with errors" target A',
      'panel 7 "Traces slower than 500ms" target A',
    ]);
  });
});

describe('a broken LogQL or TraceQL query in a dashboard', () => {
  const broken = (mutate: (target: Json) => void) => {
    const all = dashboards(spec);
    const logs = all.find((d) => d.file === 'logs-traces.json')!;
    mutate(logs.model);
    const built = buildDashboards(spec).map((d) => (d.file === logs.file ? { ...d, model: logs.model as unknown as typeof d.model } : d));
    return dashboardProblems(built, knownSeries(spec)).join('\n');
  };
  const panel = (model: Json, title: string) => panelsOf(model).find((p) => p.title === title && p.type !== 'row')!;
  const target = (model: Json, title: string) => (panel(model, title).targets as Json[])[0]!;

  it('fails the checks synth runs, naming the dashboard, panel and target, and the place it stops parsing', () => {
    const problems = broken((m) => {
      target(m, 'Logs').expr = '{service_name="$service_name"} |= ';
    });
    expect(problems).toContain('logs-traces.json: panel 3 "Logs" target A: LogQL does not parse at offset 22: "ervice_name=\\"x\\"} |= "');
    expect(problems).toContain('{service_name="$service_name"} |= \n    as parsed: {service_name="x"} |= ');
  });

  it('fails for a metric query with an unbalanced parenthesis', () => {
    const problems = broken((m) => {
      target(m, 'Log volume').expr = 'sum by (detected_level) (count_over_time({service_name="$service_name"} [$__auto])';
    });
    expect(problems).toMatch(/logs-traces\.json: panel 2 "Log volume" target A: LogQL does not parse at offset \d+/);
  });

  it('fails for a stream selector on a label Loki does not index, saying what to do instead', () => {
    const problems = broken((m) => {
      target(m, 'Logs').expr = '{service="$service_name"}';
    });
    expect(problems).toContain('logs-traces.json: panel 3 "Logs" target A: stream selector {service="x"} matches "service"');
    expect(problems).toContain('filter structured metadata with | service="…" instead');
  });

  it('fails for a TraceQL search that does not parse', () => {
    const problems = broken((m) => {
      target(m, 'Traces with errors').query = '{ resource.service.name = "$service_name" && status = }';
    });
    expect(problems).toMatch(/logs-traces\.json: panel 6 "Traces with errors" target A: TraceQL does not parse at offset \d+/);
    expect(problems).toContain('{ resource.service.name = "$service_name" && status = }');
  });

  it('fails for an empty query', () => {
    const problems = broken((m) => {
      target(m, 'Recent traces').query = '';
      target(m, 'Logs').expr = '';
    });
    expect(problems).toContain('panel 5 "Recent traces" target A: TraceQL is empty');
    expect(problems).toContain('panel 3 "Logs" target A: LogQL is empty');
  });
});

describe('checkLogQL', () => {
  const messages = (expr: string) => checkLogQL(expr).map((p) => p.message);

  it('accepts the shapes Loki accepts: line filters, structured metadata filters, metric queries', () => {
    expect(messages('{service_name="demo"} |= "x" != "y" |~ "a.+"')).toEqual([]);
    expect(messages('{service_name="demo", k8s_namespace_name=~"obs.*"} | trace_id="0af7651916cd43dd8448eb211c80319c"')).toEqual([]);
    expect(messages('sum by (detected_level) (count_over_time({service_name="demo"} |= "x" [5m]))')).toEqual([]);
    expect(messages('rate({service_name="demo"} | json | status >= 500 [1m])')).toEqual([]);
  });

  it('refuses a selector whose every matcher matches the empty value (Loki does too)', () => {
    expect(messages('{service_name=~".*"}')).toEqual(['stream selector {service_name=~".*"} needs a matcher that does not match the empty value']);
    expect(messages('{service_name!="demo"}')).toHaveLength(1);
    expect(messages('{service_name=""}')).toHaveLength(1);
  });

  it('refuses a regular expression that does not compile', () => {
    expect(messages('{service_name=~"(demo"}')).toEqual([expect.stringContaining('service_name=~"(demo" is not a valid regular expression')]);
  });

  it('refuses a query without a stream selector, and garbage', () => {
    expect(messages('sum(1)')).not.toEqual([]);
    expect(messages('service_name="demo"')).toEqual([expect.stringMatching(/^LogQL does not parse at offset \d+/)]);
  });
});

describe('checkTraceQL', () => {
  it('accepts what Tempo accepts and refuses what it does not', () => {
    expect(checkTraceQL('{ resource.service.name = "demo" && duration >= 500ms }')).toEqual([]);
    expect(checkTraceQL('{ span.http.route = "/orders/:id" } | count() > 2')).toEqual([]);
    expect(checkTraceQL('{ status = error', 'a search').map((p) => `${p.where}: ${p.message}`)).toEqual([
      expect.stringMatching(/^a search: TraceQL does not parse at offset \d+/),
    ]);
  });
});

describe('the labels a stream selector may use', () => {
  it('are Loki 3.7’s default OTLP index labels, as its documentation lists them', () => {
    const documented = (reference.documented as Record<string, { default?: string }>)['distributor.otlp_config.default_resource_attributes_as_index_labels'];
    expect(documented?.default).toBe(`[${OTLP_DEFAULT_INDEX_ATTRIBUTES.join(' ')}]`);
    expect(STREAM_LABELS.has('service_name')).toBe(true);
    expect(lokiLabelName('k8s.namespace.name')).toBe('k8s_namespace_name');
  });
});
