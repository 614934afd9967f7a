/**
 * Filelog receivers (contrib receiver/filelogreceiver v0.162.0, built on pkg/stanza; see tools/otelcol/builder-config.yaml).
 * Operators are those documented in pkg/stanza/docs/operators: `container`, `json_parser`, `time_parser`,
 * `severity_parser`, `trace_parser`, `move`, `regex_parser`. Each lifting step runs only when its field is there
 * (`if`), so a line that is not JSON, or JSON without trace context, still arrives as it was written.
 */

type Operator = Record<string, unknown>;

/** A JSON object line: the body starts with `{` (after the container runtime's prefix is removed). */
const JSON_LINE = 'body matches "^\\\\s*\\\\{"';
const has = (field: string) => `attributes["${field}"] != nil`;

/**
 * Turns a JSON log line into an OTLP log record: `trace_id`/`span_id` (hex) become its trace context, `level` (or
 * `severity`) its severity number and text, an RFC 3339 `time` its timestamp, `msg`/`message` its body, and
 * `service`/`service.name` its resource's service.name. Other keys stay as log attributes (Loki: structured metadata).
 */
export function jsonLineOperators(): Operator[] {
  return [
    { type: 'json_parser', id: 'json', if: JSON_LINE, on_error: 'send_quiet' },
    {
      type: 'trace_parser',
      id: 'trace-context',
      if: has('trace_id'),
      // Unprefixed, these default to fields of the body, which the JSON parser has already emptied.
      trace_id: { parse_from: 'attributes.trace_id' },
      span_id: { parse_from: 'attributes.span_id' },
      trace_flags: { parse_from: 'attributes.trace_flags' },
      on_error: 'send_quiet',
    },
    { type: 'severity_parser', id: 'level', if: has('level'), parse_from: 'attributes.level', on_error: 'send_quiet' },
    { type: 'severity_parser', id: 'severity', if: `${has('severity')} && attributes["level"] == nil`, parse_from: 'attributes.severity', on_error: 'send_quiet' },
    {
      type: 'time_parser',
      id: 'time',
      if: `${has('time')} && attributes["time"] matches "^\\\\d{4}-\\\\d\\\\d-\\\\d\\\\dT"`,
      parse_from: 'attributes.time',
      layout_type: 'gotime',
      layout: '2006-01-02T15:04:05.999999999Z07:00',
      on_error: 'send_quiet',
    },
    { type: 'move', id: 'body-from-msg', if: has('msg'), from: 'attributes.msg', to: 'body' },
    { type: 'move', id: 'body-from-message', if: has('message'), from: 'attributes.message', to: 'body' },
    { type: 'move', id: 'service-name', if: has('service.name'), from: 'attributes["service.name"]', to: 'resource["service.name"]' },
    { type: 'move', id: 'service', if: has('service'), from: 'attributes.service', to: 'resource["service.name"]' },
  ];
}

/** Compose: tail `include` globs under `folder`; a file's service.name, unless a line names one, is its name up to the first dot. */
export function fileReceiver(folder: string, include: readonly string[]): Record<string, unknown> {
  return {
    include: include.map((glob) => `${folder}/${glob}`),
    // Lines written before the collector started are not replayed (no checkpoint storage: a restart resumes at the end).
    start_at: 'end',
    include_file_name: true,
    operators: [
      ...jsonLineOperators(),
      {
        type: 'regex_parser',
        id: 'service-from-file-name',
        if: 'resource["service.name"] == nil',
        parse_from: 'attributes["log.file.name"]',
        regex: '^(?P<service_name>[^.]+)',
        parse_to: 'resource',
        on_error: 'send_quiet',
      },
      { type: 'move', id: 'service-name-from-file', if: 'resource["service_name"] != nil', from: 'resource.service_name', to: 'resource["service.name"]' },
    ],
  };
}

/**
 * Kubernetes node agent: every container's stdout and stderr under /var/log/pods (`<namespace>_<pod>_<uid>/<container>/
 * <restart>.log`). The `container` operator detects the docker, containerd and CRI-O formats, joins partial lines, and
 * sets k8s.namespace.name, k8s.pod.name, k8s.pod.uid, k8s.container.name and k8s.container.restart_count from the path.
 * The agent's own namespace is skipped, so its errors never feed back into what it ships.
 */
export function podLogReceiver(podLogs: string, ownNamespace: string): Record<string, unknown> {
  return {
    include: [`${podLogs}/*/*/*.log`],
    exclude: [`${podLogs}/${ownNamespace}_*/*/*.log`],
    start_at: 'end',
    include_file_path: true,
    include_file_name: false,
    operators: [
      { type: 'container', id: 'container-runtime', add_metadata_from_filepath: true },
      ...jsonLineOperators(),
      // Without a service.name of its own, a line is attributed to its container, as Loki's service_name would be.
      { type: 'copy', id: 'service-from-container', if: 'resource["service.name"] == nil', from: 'resource["k8s.container.name"]', to: 'resource["service.name"]' },
    ],
  };
}
