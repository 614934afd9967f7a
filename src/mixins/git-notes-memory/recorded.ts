import { defineRecorded } from '../../promql/expr';

/** Mean latencies per service over 5m: "/memory:health --timing" ("Avg capture latency", "Avg search latency"). */
export const GIT_NOTES_MEMORY_RECORDED = {
  captureMean: defineRecorded({
    name: 'service_name:memory_capture_duration_ms:mean5m',
    labelNames: ['service_name'],
    help: 'Mean memory capture duration per service over 5m, in ms.',
  }),
  searchMean: defineRecorded({
    name: 'service_name:memory_search_duration_ms:mean5m',
    labelNames: ['service_name'],
    help: 'Mean memory search duration per service over 5m, in ms.',
  }),
} as const;
