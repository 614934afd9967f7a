import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { catalogArtifacts, catalogMetric, catalogOf, catalogSchemaProblems, CATALOG_DIR, PYTHON_DIR } from '../../src/contract';
import { defineMetric } from '../../src/sdk/catalog/define';
import { defineMixin, param, withBuckets } from '../../src/mixin';
import * as shipped from '../../src/mixins';
import { defineStack, resolveSpec, type StackSpec } from '../../src/spec';
import { HTTP_DURATION_BUCKETS } from '../../src/mixins/http';
import { catalogSpec } from '../fixtures/catalog-spec';
import { demoSpec } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';

/**
 * The catalog contract (dist/catalog): every file synth writes is valid against the committed JSON Schema, checked
 * with Ajv (draft 2020-12), which also refuses each kind of wrong file; the content says what the mixins define.
 */
const schema = JSON.parse(readFileSync(join(__dirname, '../../schema/catalog.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const jsonFiles = (spec: StackSpec) => catalogArtifacts(spec).filter((a) => a.path.endsWith('.json'));
const fileOf = (mixin: string) => JSON.parse(jsonFiles(catalogSpec).find((a) => a.path === `${CATALOG_DIR}/${mixin}.json`)!.content) as Record<string, unknown>;

const shippedMixins = Object.values(shipped)
  .filter((v): v is typeof shipped.http => typeof v === 'function' && 'definition' in v)
  .map((f) => f.definition.name)
  .sort();

describe('the catalog contract', () => {
  it('the fixture lists every mixin obskit ships, and synth writes one JSON file and one Python module per mixin', () => {
    expect(shippedMixins.length).toBeGreaterThanOrEqual(10);
    expect(catalogOf(catalogSpec).map((c) => c.mixin).sort()).toEqual(shippedMixins);
    const paths = catalogArtifacts(catalogSpec).map((a) => a.path);
    for (const name of shippedMixins) {
      expect(paths).toContain(`${CATALOG_DIR}/${name}.json`);
      expect(paths).toContain(`${PYTHON_DIR}/${name.replace(/-/g, '_')}.py`);
    }
    expect(paths).toContain(`${PYTHON_DIR}/__init__.py`);
  });

  it.each([
    ['the catalog fixture', catalogSpec],
    ['the demo fixture', demoSpec],
    ['the full fixture', fullSpec],
  ])('every file written for %s is valid against schema/catalog.schema.json', (_name, spec) => {
    const files = jsonFiles(spec);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect({ file: f.path, errors: errorsOf(JSON.parse(f.content)) }).toEqual({ file: f.path, errors: [] });
  });

  it('states each metric as its mixin defines it, the mixin version, and per-service buckets where a service configures others', () => {
    const http = fileOf('http');
    expect(http).toMatchObject({ $schema: '../../schema/catalog.schema.json', schemaVersion: 1, mixin: 'http', version: '1.0.0', scope: 'service' });
    expect(http.metrics).toEqual([
      expect.objectContaining({
        name: 'http_server_request_duration_seconds',
        type: 'histogram',
        unit: 'seconds',
        labels: ['http_request_method', 'http_route', 'http_response_status_code'],
        buckets: [...HTTP_DURATION_BUCKETS],
        origin: 'instrument',
      }),
      expect.objectContaining({ name: 'http_server_active_requests', type: 'gauge', labels: ['http_request_method', 'url_scheme'] }),
    ]);
    expect(http.services).toEqual([{ name: 'shop' }, { name: 'ingest', buckets: { http_server_request_duration_seconds: [0.05, 0.1, 0.3, 1, 3] } }]);
    expect(fileOf('zephyr').services).toEqual([
      { name: 'zephyr-app', buckets: { http_request_duration_seconds: [0.1, 0.5, 1, 2, 5], user_creation_duration: [0.1, 0.5, 1, 2, 5] } },
    ]);
    const stack = fileOf('stack-health');
    expect(stack.scope).toBe('stack');
    expect(stack).not.toHaveProperty('services');
    expect((fileOf('python').metrics as Array<{ origin: string }>).every((m) => m.origin === 'runtime')).toBe(true);
  });

  it('carries percentiles, maxSeries and maxLabelValues where a definition states them, in the schema’s shape', () => {
    const latency = catalogMetric(
      defineMetric({
        name: 'shop_checkout_seconds', help: 'Checkout.', type: 'summary', unit: 'seconds', labelNames: ['step', 'region'],
        percentiles: [0.5, 0.99], maxSeries: 500, maxLabelValues: { region: 12 },
      }),
    );
    expect(latency).toEqual({
      name: 'shop_checkout_seconds', type: 'summary', unit: 'seconds', help: 'Checkout.', labels: ['step', 'region'],
      percentiles: [0.5, 0.99], maxSeries: 500, maxLabelValues: { region: 12 }, origin: 'instrument',
    });
    expect(errorsOf({ ...fileOf('demo'), metrics: [latency] })).toEqual([]);
  });

  it('says which buckets a stack mixin’s config sets, under stack.buckets', () => {
    const queue = defineMetric({ name: 'queue_wait_seconds', help: 'Queue wait.', type: 'histogram', unit: 'seconds', buckets: [1, 10] });
    const queues = defineMixin({
      name: 'queues', version: '0.2.0', scope: 'stack', description: 'Queues.',
      params: { buckets: param.buckets([1, 10], { description: 'queue_wait_seconds buckets.' }) },
      metrics: (c) => [withBuckets(queue, c.buckets)],
    });
    const spec = resolveSpec(defineStack({ namespace: 'observability', mixins: [queues({ buckets: [0.5, 5, 50] })], services: [] }));
    const [catalog] = catalogOf(spec);
    expect(catalog).toMatchObject({ mixin: 'queues', version: '0.2.0', scope: 'stack', stack: { buckets: { queue_wait_seconds: [0.5, 5, 50] } } });
    expect(catalog!.metrics[0]!.buckets).toEqual([1, 10]);
    expect(errorsOf(JSON.parse(jsonFiles(spec)[0]!.content))).toEqual([]);
  });

  it('synthesizes the same bytes twice', () => {
    expect(catalogArtifacts(catalogSpec)).toEqual(catalogArtifacts(catalogSpec));
  });

  const valid = fileOf('http');
  const metric0 = (valid.metrics as object[])[0] as Record<string, unknown>;
  const withMetric = (patch: Record<string, unknown>) => ({ ...valid, metrics: [{ ...metric0, ...patch }] });
  it.each<[string, unknown, string]>([
    ['no version', { ...valid, version: undefined }, "must have required property 'version'"],
    ['a version that is not semver', { ...valid, version: '1.0' }, '/version must match pattern'],
    ['another format version', { ...valid, schemaVersion: 2 }, '/schemaVersion must be equal to constant'],
    ['an unknown field', { ...valid, owner: 'team' }, 'must NOT have additional properties'],
    ['a service mixin without its services', { ...valid, services: undefined }, "must have required property 'services'"],
    ['a stack mixin with services', { ...valid, scope: 'stack' }, '/services boolean schema is false'],
    ['an unknown metric type', withMetric({ type: 'timer' }), '/metrics/0/type must be equal to one of the allowed values'],
    ['buckets on a gauge', withMetric({ type: 'gauge' }), '/metrics/0/buckets boolean schema is false'],
    ['a reserved label', withMetric({ labels: ['le'] }), '/metrics/0/labels/0 must NOT be valid'],
    ['a label twice', withMetric({ labels: ['a', 'a'] }), '/metrics/0/labels must NOT have duplicate items'],
    ['an invalid metric name', withMetric({ name: 'http-requests' }), '/metrics/0/name must match pattern'],
    ['no help', withMetric({ help: '' }), '/metrics/0/help must NOT have fewer than 1 characters'],
    ['a maxSeries of 0', withMetric({ maxSeries: 0 }), '/metrics/0/maxSeries must be >= 1'],
    ['a label bound that is not a whole number', withMetric({ maxLabelValues: { http_route: 2.5 } }), '/metrics/0/maxLabelValues/http_route must be integer'],
    ['an empty bucket override', { ...valid, services: [{ name: 'shop', buckets: {} }] }, '/services/0/buckets must NOT have fewer than 1 properties'],
  ])('refuses a file with %s', (_what, doc, error) => {
    expect(errorsOf(JSON.parse(JSON.stringify(doc)))).toContainEqual(expect.stringContaining(error));
  });

  it('is checked by synth itself before writing, naming the place', () => {
    expect(catalogSchemaProblems(valid)).toEqual([]);
    expect(catalogSchemaProblems(withMetric({ type: 'gauge' }))).toContain('/metrics/0/buckets: boolean schema is false');
  });
});

describe('a mixin’s version', () => {
  const base = { name: 'shop', scope: 'service' as const, description: 'A shop.', params: {}, metrics: () => [] };
  it('is required, and must be a semantic version', () => {
    expect(() => defineMixin({ ...base } as never)).toThrow('mixin shop: version must be a semantic version such as "1.0.0", got undefined');
    expect(() => defineMixin({ ...base, version: 'v1' })).toThrow('mixin shop: version must be a semantic version such as "1.0.0", got "v1"');
    expect(defineMixin({ ...base, version: '2.1.0-rc.1' }).definition.version).toBe('2.1.0-rc.1');
  });

  it('is given by every mixin obskit ships', () => {
    for (const c of catalogOf(catalogSpec)) expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
