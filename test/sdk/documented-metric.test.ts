import { defineDocumentedMetric, defineMetric, withBucketsOf } from '../../src/sdk/catalog/define';

describe('defineDocumentedMetric', () => {
  it("keeps an existing system's name that breaks the naming rules, with its real unit", () => {
    const gaugeTotal = defineDocumentedMetric({ name: 'backlog_acceptance_criteria_total', help: 'Criteria of a task.', type: 'gauge', unit: '', labelNames: ['task_id'] });
    expect(gaugeTotal).toMatchObject({ name: 'backlog_acceptance_criteria_total', type: 'gauge', documentedName: true });
    const noSuffix = defineDocumentedMetric({ name: 'http_request_duration', help: 'Seconds.', type: 'histogram', unit: 'seconds', buckets: [0.1, 1] });
    expect(withBucketsOf(noSuffix, [0.5, 2])).toMatchObject({ unit: 'seconds', buckets: [0.5, 2], documentedName: true });
  });

  it('still applies every other check', () => {
    expect(() => defineDocumentedMetric({ name: 'x_total', help: ' ', type: 'gauge', unit: '' })).toThrow('help must not be empty');
    expect(() => defineDocumentedMetric({ name: 'bad-name', help: 'h', type: 'gauge', unit: '' })).toThrow('name must match');
    expect(() => defineDocumentedMetric({ name: 'x', help: 'h', type: 'histogram', unit: 'seconds', buckets: [2, 1] })).toThrow('ascending');
    expect(() => defineDocumentedMetric({ name: 'x', help: 'h', type: 'gauge', unit: '', labelNames: ['job'] as never })).toThrow('reserved');
  });

  it('leaves defineMetric as strict as before', () => {
    expect(() => defineMetric({ name: 'x_total' as never, help: 'h', type: 'gauge', unit: '' })).toThrow('only counters end in "_total"');
    expect(() => defineMetric({ name: 'x_duration' as never, help: 'h', type: 'histogram', unit: 'seconds', buckets: [1] })).toThrow('suffix');
  });
});
