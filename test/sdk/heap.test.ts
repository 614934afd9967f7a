import { join } from 'node:path';
import { jsonLines, runTs } from './support/child';

describe('memory stays bounded (child process, --expose-gc)', () => {
  it('1,000,000 raw paths and 100,000 label values: series at the cap, heap growth under a generous bound', async () => {
    const out = await runTs(join(__dirname, 'fixtures', 'heap-bound.ts'), { nodeArgs: ['--expose-gc'], timeoutMs: 120_000 });
    expect(out.code).toBe(0);
    const result = jsonLines(out.stdout)[0] as { heapGrowthBytes: number; httpSeries: number; tenantSeries: number; folded: string };
    expect(result.httpSeries).toBe(15); // 3 routes (2 templates + _unmatched) × 5 status codes
    expect(result.tenantSeries).toBe(2001); // default cap 2000 + the overflow series
    expect(result.folded).toBe('98000');
    // The figure itself is reported by `npm run bench`; this only guards against unbounded growth.
    expect(result.heapGrowthBytes).toBeLessThan(64 * 1024 * 1024);
  });
});
