import { compare } from '../../src/check/compare';
import { parseExposition } from '../../src/check/exposition';
import { requiredMetrics, serviceCatalog } from '../../src/check/required';
import { demoSpec } from '../fixtures/demo-spec';

const service = demoSpec.services[0]!;
const catalog = serviceCatalog(demoSpec, service);
const needs = requiredMetrics(demoSpec, service);
const run = (text: string) => compare(parseExposition(text), catalog, needs, ['http', 'nodejs', 'demo']);

describe('compare (what the demo spec promises)', () => {
  it('knows what the mixins query: metrics of the http and nodejs mixins, each with what reads it', () => {
    expect(needs.get('http_server_request_duration_seconds')).toMatchObject({ mixin: 'http', by: expect.arrayContaining(['alert ServiceErrorRatioHigh', 'SLO availability', 'dashboard "Service overview"']) });
    expect(needs.get('process_resident_memory_bytes')).toMatchObject({ mixin: 'nodejs', by: expect.arrayContaining(['alert ServiceMemoryHigh']) });
    // the demo mixin has no dashboards or alerts, so nothing requires its metrics
    expect(needs.has('demo_orders_total')).toBe(false);
  });

  it('checks # UNIT when OpenMetrics gives one', () => {
    const { findings } = run('# TYPE process_resident_memory_bytes gauge\n# UNIT process_resident_memory_bytes kilobytes\nprocess_resident_memory_bytes 1\n# EOF\n');
    expect(findings).toContainEqual({ kind: 'unit', metric: 'process_resident_memory_bytes', mixin: 'nodejs', message: 'declares # UNIT "kilobytes"; the catalog\'s unit is "bytes"' });
  });

  it('names a required metric exposed under another unit once, as a unit problem', () => {
    const { findings } = run('# TYPE process_resident_memory_megabytes gauge\nprocess_resident_memory_megabytes 1\n');
    expect(findings.filter((f) => f.metric.startsWith('process_resident_memory'))).toEqual([
      expect.objectContaining({ kind: 'unit', metric: 'process_resident_memory_bytes', mixin: 'nodejs', message: expect.stringMatching(/^is exposed as "process_resident_memory_megabytes", in another unit; the catalog's unit is bytes/) }),
    ]);
  });

  it('holds an untyped metric to its catalog type', () => {
    const { findings } = run('service_build_info{service_version="1",vcs_revision="a",process_runtime_version="20"} 1\n');
    expect(findings).toContainEqual({ kind: 'type', metric: 'service_build_info', mixin: 'nodejs', message: 'has no type (no # TYPE, or untyped); the catalog says gauge' });
  });

  it('notes a series lacking a declared label without calling it a breach', () => {
    const { findings, notes } = run('# TYPE service_build_info gauge\nservice_build_info{service_version="1",vcs_revision="a"} 1\n');
    expect(findings.filter((f) => f.metric === 'service_build_info')).toEqual([]);
    expect(notes).toEqual(['service_build_info (nodejs mixin): 1 series lack the label "process_runtime_version" the catalog declares (queries see an empty value)']);
  });
});
