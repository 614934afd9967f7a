import { goG4, humanize, humanize1024, humanizeDuration, humanizePercentage } from '../../src/alerts/humanize';
import { expandTemplate } from '../../src/alerts/render';

describe('Prometheus template functions, as promtool expands them', () => {
  it('formats like Go %.4g (values taken from `fmt.Sprintf("%.4g", v)` in Go 1.x)', () => {
    const values = [0, 1, 10, 1000, 12345, 12355, 0.15625, 0.0144, 99.99999999, 0.00001234, 123.456, 1e-5, 9999.5, 0.1 + 0.2, 2.675, 1440];
    expect(values.map(goG4)).toEqual(['0', '1', '10', '1000', '1.234e+04', '1.236e+04', '0.1562', '0.0144', '100', '1.234e-05', '123.5', '1e-05', '1e+04', '0.3', '2.675', '1440']);
  });

  it('humanizes percentages, bytes, durations and SI numbers', () => {
    expect([0.05, 0.0144, 1, 0.005000000000000001].map(humanizePercentage)).toEqual(['5%', '1.44%', '100%', '0.5%']);
    expect([512, 1024 ** 3, 1.5 * 1024 ** 3, 536870912].map(humanize1024)).toEqual(['512', '1Gi', '1.5Gi', '512Mi']);
    expect([0, 0.5, 0.0025, 2.425, 90, 3700, 90000].map(humanizeDuration)).toEqual(['0s', '500ms', '2.5ms', '2.425s', '1m 30s', '1h 1m 40s', '1d 1h 0m 0s']);
    expect([1500, 0.25, 2].map(humanize)).toEqual(['1.5k', '250m', '2']);
  });

  it('expand $labels and $value in annotation templates', () => {
    expect(expandTemplate('{{ $labels.job }}: {{ $value | humanizePercentage }} ({{$value}})', { job: 'api' }, 0.25, 'x')).toBe('api: 25% (0.25)');
    expect(() => expandTemplate('{{ $value | humanizePercentage }}', {}, undefined, 'ServiceX examples')).toThrow(/ServiceX examples.*no value/);
    expect(() => expandTemplate('{{ $value | title }}', {}, 1, 'x')).toThrow(/more than/);
  });
});
