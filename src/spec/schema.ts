import { isIP } from 'node:net';
import { z } from 'zod';
import { isMixinUse, type MixinUse } from '../mixin/define';
import { ALL_COMPONENTS, INGEST_MODES, KUBERNETES_MODES, PROFILES, RESOURCE_KEYS_KEPT, SEVERITIES, STATEFUL_COMPONENTS } from './types';
import { isPrometheusDuration } from './duration';

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY = /^(\d+(\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const PROMETHEUS_SIZE = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;
const METRICS_PATH = /^\/[A-Za-z0-9._~\-/]*$/;
const HOST = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const show = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

const dnsLabel = (what: string) =>
  z.string({ error: (i) => `${what} must be a string, got ${show(i.input)}` }).regex(DNS_LABEL, {
    error: (i) =>
      `${what} must be a DNS-1123 label (lowercase letters, digits and "-", starting with a letter, ` +
      `at most 63 characters), got ${show(i.input)}`,
  });

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** An IPv4 or IPv6 CIDR; not one that means every address (that is what it is there to narrow). */
const cidrOf = (what: string) => z.string({ error: (i) => `must be a CIDR such as "10.0.0.0/8" or "fd00::/8", got ${show(i.input)}` }).superRefine((value, ctx) => {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  const max = family === 6 ? 128 : 32;
  const prefix = Number(bits);
  if (family === 0 || rest.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits) || prefix > max) {
    ctx.addIssue({ code: 'custom', message: `must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8", got ${show(value)}` });
  } else if (prefix === 0) {
    ctx.addIssue({ code: 'custom', message: `must not be every address (${value}): name ${what}` });
  }
});
const cidr = cidrOf("the API server's addresses");
const nodeCidr = cidrOf("your nodes' subnets");

const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
  error: (i) => `must be a Kubernetes label key such as "k8s-app", got ${show(i.input)}`,
});
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
  error: (i) => `must be a Kubernetes label value such as "kube-dns", got ${show(i.input)}`,
});

const port = z
  .number({ error: (i) => `must be a port number 1–65535, got ${show(i.input)}` })
  .refine((n) => Number.isInteger(n) && n >= 1 && n <= 65535, {
    error: (i) => `must be 1–65535, got ${show(i.input)}`,
  });

const duration = z
  .string({ error: (i) => `must be a duration such as "30s", "5m" or "15d", got ${show(i.input)}` })
  .refine(isPrometheusDuration, {
    error: (i) =>
      `must be a positive Prometheus duration such as "30s", "5m", "1h30m" or "15d" (units ms, s, m, h, d, w, y, ` +
      `largest first), got ${show(i.input)}`,
  });

const quantity = z
  .string({ error: (i) => `must be a Kubernetes quantity such as "500m" or "2Gi", got ${show(i.input)}` })
  .regex(QUANTITY, {
    error: (i) => `must be a Kubernetes quantity such as "500m", "1" or "2Gi", got ${show(i.input)}`,
  });

const secretRef = z.strictObject(
  { name: dnsLabel('a Secret name'), key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key ([-._a-zA-Z0-9]+)') },
  {
    error: (i) =>
      typeof i.input === 'string'
        ? 'must reference a secret as { name, key } (a Kubernetes Secret, or compose/secrets/<name>/<key>); ' +
          'never put the secret value itself in the spec'
        : `must be a secret reference { name, key }, got ${show(i.input)}`,
  },
);

const receiverName = z
  .string()
  .regex(/^[a-z][-a-z0-9_]*$/, { error: (i) => `must be a receiver name ([a-z][-a-z0-9_]*), got ${show(i.input)}` })
  .refine((n) => n !== 'null', { error: '"null" is the built-in receiver that drops alerts; choose another name' });

const receiverBase = { name: receiverName, sendResolved: z.boolean().optional() };

const receiver = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...receiverBase, type: z.literal('pagerduty'), routingKey: secretRef }),
    z.strictObject({
      ...receiverBase,
      type: z.literal('slack'),
      apiUrl: secretRef,
      channel: z.string().regex(/^[#@]?[-_a-z0-9.]+$/, 'must be a Slack channel such as "#alerts"'),
    }),
    z.strictObject({
      ...receiverBase,
      type: z.literal('email'),
      to: z.string().regex(EMAIL, { error: (i) => `must be an email address, got ${show(i.input)}` }),
      from: z.string().regex(EMAIL, { error: (i) => `must be an email address, got ${show(i.input)}` }),
      smarthost: z
        .string()
        .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error: (i) => `must be "host:port", got ${show(i.input)}` }),
      authUsername: z.string().min(1).optional(),
      authPassword: secretRef.optional(),
      requireTls: z.boolean().optional(),
    }),
    z.strictObject({ ...receiverBase, type: z.literal('webhook'), url: secretRef }),
  ],
  {
    error: (i) =>
      `must have type "pagerduty", "slack", "email" or "webhook", got ${show((i.input as { type?: unknown })?.type)}`,
  },
);

const severity = z.enum(SEVERITIES, {
  error: (i) => `must be one of ${SEVERITIES.join(', ')}, got ${show(i.input)}`,
});

const resources = z.strictObject({
  requests: z.strictObject({ cpu: quantity, memory: quantity }),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity }),
});

const attributeKeys = z.array(
  z.string({ error: (i) => `must be an attribute key such as "user.id", got ${show(i.input)}` }).regex(/^[A-Za-z0-9_.\-/:]+$/, {
    error: (i) => `must be an attribute key such as "user.id" (letters, digits and _ . - / :), got ${show(i.input)}`,
  }),
  { error: 'must be a list of attribute keys' },
);

const positive = (what: string) =>
  z
    .number({ error: (i) => `must be ${what}, got ${show(i.input)}` })
    .refine((n) => Number.isFinite(n) && n > 0, { error: (i) => `must be ${what} greater than 0, got ${show(i.input)}` });

const route = z.strictObject({
  severity,
  receiver: z.union([z.string(), z.array(z.string()).min(1, 'must name at least one receiver')], {
    error: (i) => `must be a receiver name or a list of receiver names, got ${show(i.input)}`,
  }),
});

const ENVIRONMENT = /^[a-z0-9][-a-z0-9_.]*$/;
const environmentName = z
  .string()
  .regex(ENVIRONMENT, { error: (i) => `must be a short lowercase name such as "prod", got ${show(i.input)}` });

const tracesPercent = z
  .number({ error: (i) => `must be a percentage such as 10, got ${show(i.input)}` })
  .refine((n) => n > 0 && n <= 100, { error: (i) => `must be a percentage above 0 and at most 100 (100 keeps every trace), got ${show(i.input)}` });

const tailSampling = z.strictObject({
  keepErrors: z.boolean({ error: (i) => `must be true or false, got ${show(i.input)}` }).default(true),
  slowerThan: duration.optional(),
  percent: z
    .number({ error: (i) => `must be a percentage such as 10 (the share of the other traces kept), got ${show(i.input)}` })
    .refine((n) => n >= 0 && n <= 100, { error: (i) => `must be a percentage from 0 to 100, got ${show(i.input)}` }),
  decisionWait: duration.default('10s'),
});

const environmentOverride = z.strictObject({
  sampling: z.strictObject({ tracesPercent: tracesPercent.optional(), tail: tailSampling.optional() }).optional(),
  environment: environmentName.optional(),
  alerting: z
    .strictObject({
      receivers: z.array(receiver).optional(),
      routes: z.array(route).optional(),
      defaultReceiver: z.string().optional(),
      watchdogReceiver: z.string().optional(),
      groupWait: duration.optional(),
      groupInterval: duration.optional(),
      repeatInterval: duration.optional(),
    })
    .optional(),
});

const matchers = z.record(
  z.string().regex(LABEL_NAME, { error: (i) => `must be a label name, got ${show(i.input)}` }),
  z.string({ error: (i) => `must be a regular expression the label value matches, got ${show(i.input)}` }),
  { error: (i) => `must be label matchers such as { http_response_status_code: "5.." }, got ${show(i.input)}` },
);

const sliBase = {
  metric: z.string({ error: (i) => `must be a metric name of one of the service's mixins, got ${show(i.input)}` }).min(1),
  total: matchers.optional(),
  events: z.string().min(1).optional(),
  badEvents: z.string().min(1).optional(),
};

const badEventsMetric = z.strictObject({
  metric: sliBase.metric,
  matchers: matchers.optional(),
  inTotal: z.boolean({
    error: (i) =>
      `must say whether the SLI's metric counts these events too (true) or only the good ones (false), got ${show(i.input)}`,
  }),
});

const sli = z.union(
  [
    z.strictObject({ ...sliBase, threshold: positive('a bucket boundary, in the histogram\'s unit') }),
    z
      .strictObject({ ...sliBase, bad: matchers.optional(), good: matchers.optional(), badMetric: badEventsMetric.optional() })
      .refine((s) => [s.bad, s.good, s.badMetric].filter((f) => f !== undefined).length === 1, {
        error:
          'give exactly one of bad or good matchers (which events of the metric are bad, or which are good) or badMetric (bad events counted by another metric)',
      }),
  ],
  {
    error:
      'must be an SLI: { metric, bad }, { metric, good } or { metric, badMetric } (event ratio), or { metric, threshold } (latency)',
  },
);

const mixinUse = z.custom<MixinUse>(isMixinUse, {
  error: (i) => `must be a mixin as its function returns it, such as http() or stackHealth(), got ${show(i.input)}`,
});
const mixinList = z.array(mixinUse, { error: 'must be a list of mixins, such as [http(), nodejs()]' });

const slo = z.strictObject({
  name: z.string({ error: (i) => `must be a name such as "availability", got ${show(i.input)}` }).regex(/^[a-z][a-z0-9_-]{0,62}$/, {
    error: (i) => `must be a lowercase name such as "availability" ([a-z][a-z0-9_-]*), got ${show(i.input)}`,
  }),
  sli,
  objective: z
    .number({ error: (i) => `must be a target in percent such as 99.9, got ${show(i.input)}` })
    .refine((n) => n > 0 && n < 100, { error: (i) => `must be between 0 and 100 (exclusive), got ${show(i.input)}` }),
  period: duration,
  minRequests: z
    .number({ error: (i) => `must be a number of requests, got ${show(i.input)}` })
    .refine((n) => Number.isInteger(n) && n >= 0, { error: (i) => `must be a whole number of requests (0 or more), got ${show(i.input)}` })
    .optional(),
});

const override = z.strictObject({
  alert: z.string({ error: (i) => `must be an alert name such as "TargetDown", got ${show(i.input)}` }).min(1, 'must be an alert name'),
  service: z.string().optional(),
  slo: z.string().optional(),
  disabled: z.boolean().optional(),
  for: duration.optional(),
  severity: severity.optional(),
  threshold: positive('a number in the alert\'s unit').optional(),
  labels: z.record(z.string(), z.string({ error: (i) => `label values must be strings, got ${show(i.input)}` })).optional(),
});

const limit = (what: string) =>
  z
    .number({ error: (i) => `must be a number of ${what} (0 for no limit), got ${show(i.input)}` })
    .refine((n) => Number.isInteger(n) && n >= 0, { error: (i) => `must be a whole number of ${what}, 0 or more (0 for no limit), got ${show(i.input)}` });

const atLeastOne = (what: string) =>
  z
    .number({ error: (i) => `must be a number of ${what}, got ${show(i.input)}` })
    .refine((n) => Number.isInteger(n) && n >= 1, { error: (i) => `must be a whole number of ${what}, at least 1, got ${show(i.input)}` });

const scrapeLimits = {
  sampleLimit: limit('samples'),
  labelLimit: limit('labels'),
  labelValueLengthLimit: limit('characters'),
};

const recordOf = <T extends z.ZodType>(keys: readonly string[], value: T) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as Record<string, T>);

const replicas = (what: string, min: number) =>
  z
    .number({ error: (i) => `must be a number of ${what}, at least ${min}, got ${show(i.input)}` })
    .refine((n) => Number.isInteger(n) && n >= min && n <= 100, {
      error: (i) => `must be a whole number of ${what} from ${min} to 100, got ${show(i.input)}`,
    });

const S3_ENDPOINT = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\d{1,5})?$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const httpUrl = (example: string) =>
  z
    .string({ error: (i) => `must be an http(s) URL such as "${example}", got ${show(i.input)}` })
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { error: (i) => `must be an http(s) URL such as "${example}", got ${show(i.input)}` })
    .refine((u) => !/^https?:\/\/[^/]*@/.test(u), { error: 'must not carry credentials (user:password@): give a URL without them' });

/** host:port: a DNS name or IPv4 address, or a bracketed IPv6 address, and a port. */
const KAFKA_ADDRESS = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;
/** Kafka's own rule for topic names (Topic.java: legal characters, at most 249; "." and ".." are refused). */
const KAFKA_TOPIC = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,249}$/;

const ha = z.strictObject({
  prometheusReplicas: replicas('Prometheus replicas', 2),
  alertmanagerReplicas: replicas('Alertmanager replicas', 2),
  collectorGateway: z.strictObject({
    minReplicas: replicas('collector gateway replicas', 2),
    maxReplicas: replicas('collector gateway replicas', 2),
  }),
  thanosReceive: z.strictObject({
    replicas: replicas('Thanos Receive replicas', 2),
    replicationFactor: replicas('copies of each series', 2),
    retention: duration,
    storageSize: quantity,
  }),
  loki: z.strictObject({
    writeReplicas: replicas('Loki write replicas', 2),
    readReplicas: replicas('Loki read replicas', 2),
    backendReplicas: replicas('Loki backend replicas', 2),
    replicationFactor: replicas('copies of each log stream', 1),
  }),
  tempo: z.strictObject({
    distributorReplicas: replicas('Tempo distributor replicas', 2),
    liveStoreReplicas: replicas('Tempo live-store replicas', 2),
    blockBuilderReplicas: replicas('Tempo block-builder replicas', 2),
    querierReplicas: replicas('Tempo querier replicas', 2),
    queryFrontendReplicas: replicas('Tempo query-frontend replicas', 2),
    backendWorkerReplicas: replicas('Tempo backend-worker replicas', 2),
    metricsGeneratorReplicas: replicas('Tempo metrics-generator replicas', 2),
    kafkaStorageSize: quantity,
    kafka: z
      .strictObject({
        address: z.string({ error: (i) => `must be a Kafka bootstrap broker as host:port, got ${show(i.input)}` }).regex(KAFKA_ADDRESS, {
          error: (i) => `must be a Kafka bootstrap broker as host:port, such as "kafka.data.svc:9092", got ${show(i.input)}`,
        }),
        topic: z.string({ error: (i) => `must be a Kafka topic name, got ${show(i.input)}` }).regex(KAFKA_TOPIC, {
          error: (i) => `must be a Kafka topic name (1–249 letters, digits, ".", "_" and "-"), got ${show(i.input)}`,
        }),
      })
      .optional(),
  }),
  objectStorage: z
    .strictObject({
      bucket: z.string({ error: (i) => `must be a bucket name, got ${show(i.input)}` }).regex(S3_BUCKET, {
        error: (i) => `must be an S3 bucket name (3–63 lowercase letters, digits, "." and "-"), got ${show(i.input)}`,
      }),
      endpoint: z.string({ error: (i) => `must be a host or host:port, got ${show(i.input)}` }).regex(S3_ENDPOINT, {
        error: (i) => `must be the S3 endpoint as host or host:port without scheme, such as "s3.eu-west-1.amazonaws.com", got ${show(i.input)}`,
      }),
      region: z.string().regex(/^[a-z0-9-]+$/, { error: (i) => `must be a region such as "eu-west-1", got ${show(i.input)}` }).optional(),
      insecure: z.boolean({ error: (i) => `must be true or false, got ${show(i.input)}` }).optional(),
      accessKeyId: secretRef,
      secretAccessKey: secretRef,
    })
    .optional(),
  externalStore: z
    .strictObject({
      remoteWriteUrl: httpUrl('https://mimir.example.com/api/v1/push'),
      queryUrl: httpUrl('https://mimir.example.com/prometheus'),
    })
    .optional(),
});

export const stackSchema = z.strictObject({
  namespace: dnsLabel('the namespace'),
  environment: environmentName,
  cluster: z
    .string()
    .regex(/^[a-z0-9][-a-z0-9_.]*$/, { error: (i) => `must be a cluster name such as "eu-west-1", got ${show(i.input)}` }),
  environments: z.strictObject({ compose: environmentOverride.optional(), kubernetes: environmentOverride.optional() }),
  services: z.array(
    z.strictObject({
      name: dnsLabel('a service name'),
      ingest: z
        .enum(INGEST_MODES, { error: (i) => `must be "scrape" (Prometheus scrapes it) or "otlp" (it pushes OTLP), got ${show(i.input)}` })
        .optional(),
      port: port.optional(),
      staleAfter: duration.optional(),
      metricsPath: z
        .string()
        .regex(METRICS_PATH, { error: (i) => `must be an absolute URL path such as "/metrics", got ${show(i.input)}` })
        .optional(),
      host: z.string().regex(HOST, { error: (i) => `must be a host name, got ${show(i.input)}` }).optional(),
      namespace: dnsLabel('a namespace').optional(),
      simulated: z.boolean({ error: 'must be true or false' }).optional(),
      healthChecks: z
        .array(
          z.strictObject({
            path: z
              .string({ error: (i) => `must be an absolute URL path such as "/health/ready", got ${show(i.input)}` })
              .regex(METRICS_PATH, { error: (i) => `must be an absolute URL path such as "/health/ready", got ${show(i.input)}` }),
            port: port.optional(),
          }),
          { error: 'must be a list of { path, port? } health checks' },
        )
        .optional(),
      scrapeInterval: duration.optional(),
      mixins: mixinList.optional(),
      scrapeLimits: z.strictObject(scrapeLimits).partial().optional(),
      slos: z.array(slo, { error: 'must be a list of SLOs' }).optional(),
      routes: z.array(route, { error: 'must be a list of { severity, receiver } routes' }).optional(),
    }),
    { error: 'must be a list of services' },
  ),
  mixins: mixinList,
  scrapeInterval: duration,
  scrapeLimits: z.strictObject(scrapeLimits),
  evaluationInterval: duration,
  retention: z.strictObject({
    metrics: duration,
    metricsSize: z.string().regex(PROMETHEUS_SIZE, {
      error: (i) => `must be a size in Prometheus units such as "512MB" or "40GB", got ${show(i.input)}`,
    }),
    logs: duration,
    traces: duration,
  }),
  storage: z.strictObject({
    storageClass: dnsLabel('a StorageClass name').optional(),
    sizes: recordOf(STATEFUL_COMPONENTS, quantity),
  }),
  resources: recordOf(ALL_COMPONENTS, resources),
  alerting: z.strictObject({
    receivers: z.array(receiver),
    routes: z.array(route),
    defaultReceiver: z.string(),
    watchdogReceiver: z.string(),
    groupBy: z.array(
      z.string().regex(LABEL_NAME, { error: (i) => `must be a Prometheus label name, got ${show(i.input)}` }),
    ),
    groupWait: duration,
    groupInterval: duration,
    repeatInterval: duration,
    runbookBaseUrl: z
      .string()
      .regex(/^https?:\/\/[^\s]+[^/\s]$/, { error: (i) => `must be an http(s) URL without a trailing "/", got ${show(i.input)}` }),
    overrides: z.array(override, { error: 'must be a list of alert overrides' }),
  }),
  intake: z.strictObject({
    otlpToken: secretRef.optional(),
    maskAttributes: attributeKeys,
    dropAttributes: attributeKeys,
    otlpNamespaces: z.array(dnsLabel('a namespace'), { error: 'must be a list of namespaces' }).optional(),
    promoteResourceAttributes: z.array(
      z.string({ error: (i) => `must be a resource attribute key such as "service.version", got ${show(i.input)}` }).regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, {
        error: (i) => `must be a resource attribute key such as "service.version" (letters, digits, _ and .), got ${show(i.input)}`,
      }),
      { error: 'must be a list of resource attribute keys' },
    ),
    attributeLimits: z.strictObject({
      valueLength: limit('characters'),
      count: limit('attributes').refine((n) => n === 0 || n >= RESOURCE_KEYS_KEPT.length, {
        error: (i) => `must be 0 (no cap) or at least ${RESOURCE_KEYS_KEPT.length}: a resource keeps ${RESOURCE_KEYS_KEPT.join(', ')} first, got ${show(i.input)}`,
      }),
    }),
    loki: z.strictObject({
      ingestionRateMb: positive('megabytes per second such as 4'),
      ingestionBurstSizeMb: positive('megabytes such as 6'),
      maxLineSizeBytes: atLeastOne('bytes'),
      maxLabelNamesPerSeries: atLeastOne('labels'),
      maxStreams: atLeastOne('streams'),
    }),
    tempo: z.strictObject({
      rateLimitBytes: atLeastOne('bytes per second'),
      burstSizeBytes: atLeastOne('bytes'),
      maxTracesPerUser: limit('traces'),
      maxBytesPerTrace: limit('bytes'),
    }),
    logFiles: z.strictObject({
      hostPath: z
        .string({ error: (i) => `must be a host folder such as "/var/log/myapp" or "../logs", got ${show(i.input)}` })
        .regex(/^(\/|\.\.?\/)[^\s:]*$/, {
          error: (i) => `must be an absolute host folder ("/var/log/myapp") or one relative to compose/ starting with "./" or "../", without spaces or ":", got ${show(i.input)}`,
        })
        .optional(),
      include: z.array(
        z.string({ error: (i) => `must be a glob relative to hostPath such as "*.log", got ${show(i.input)}` }).regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\s]+$/, {
          error: (i) => `must be a glob relative to hostPath such as "*.log" (not absolute, no "..", no spaces), got ${show(i.input)}`,
        }),
        { error: 'must be a list of globs such as ["*.log"]' },
      ).min(1, { error: 'must name at least one glob such as "*.log"' }),
      nodeAgent: z.boolean({ error: (i) => `must be true or false, got ${show(i.input)}` }),
    }),
  }),
  sampling: z.strictObject({
    tracesPercent,
    tail: tailSampling.optional(),
  }),
  compose: z.strictObject({
    ports: z.strictObject({ grafana: port, prometheus: port, alertmanager: port, otlpGrpc: port, otlpHttp: port }),
  }),
  kubernetes: z.strictObject({
    mode: z.enum(KUBERNETES_MODES, {
      error: (i) => `must be "plain" (obskit runs Prometheus and Alertmanager) or "operator" (the Prometheus Operator does), got ${show(i.input)}`,
    }),
    apiServerCidrs: z.array(cidr, { error: 'must be a list of CIDRs such as "10.0.0.0/8" or "fd00::/8"' }).min(1, {
      error: 'must name at least one CIDR: Prometheus reaches the API server only there',
    }),
    nodeCidrs: z.array(nodeCidr, { error: 'must be a list of CIDRs such as "10.0.0.0/8" or "fd00::/8"' }).min(1, {
      error: 'must name at least one CIDR: Prometheus reaches the kubelets only there',
    }),
    kubeletInsecureSkipVerify: z.boolean({ error: (i) => `must be true or false, got ${show(i.input)}` }),
    dns: z.strictObject({
      namespace: dnsLabel('a namespace'),
      podLabel: z.strictObject({ name: labelKey, value: labelValue }),
    }),
    priorityClass: z
      .strictObject({
        name: z.string().regex(DNS_SUBDOMAIN, {
          error: (i) => `must be a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, "-" and "."), got ${show(i.input)}`,
        }).refine((n) => !n.startsWith('system-'), { error: '"system-" names are reserved for Kubernetes\' own classes' }),
        value: z
          .number({ error: (i) => `must be a priority (an integer up to 1000000000), got ${show(i.input)}` })
          .refine((n) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 1_000_000_000, {
            error: (i) => `must be an integer from -2147483648 to 1000000000 (higher is reserved for system classes), got ${show(i.input)}`,
          })
          .optional(),
      })
      .optional(),
  }),
  profile: z.enum(PROFILES, {
    error: (i) => `must be "single" (one Prometheus, one Alertmanager) or "ha" (Prometheus pair, Thanos, Alertmanager cluster), got ${show(i.input)}`,
  }),
  ha,
  grafana: z.strictObject({
    anonymousViewer: z.enum(['compose', 'always', 'never'], {
      error: (i) => `must be "compose", "always" or "never", got ${show(i.input)}`,
    }), adminSecretName: dnsLabel('a Secret name') }),
});
