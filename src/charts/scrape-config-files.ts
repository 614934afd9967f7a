/**
 * prometheus.yml for Kubernetes, cut to fit a ConfigMap. One scrape job per observed service (~1.2 KB each with its
 * discovery and relabelling) makes a 1,000-service prometheus.yml about 1.2 MB, over the 1 MiB an object may hold;
 * past RULE_FILE_MAX_BYTES the jobs move to `scrape_config_files` (Prometheus ≥ 2.43), each file at most that size,
 * which the chart packs into ConfigMaps the way it packs rule files. Below it, prometheus.yml stays one file.
 */
import { RULE_FILE_MAX_BYTES } from '../alerts/split';
import { toYaml } from '../output/yaml';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export interface ScrapeConfigSplit {
  /** prometheus.yml itself. */
  readonly main: string;
  /** `scrape-<n>.yml` → `{ scrape_configs: [...] }`, in job order; empty when the jobs fit in prometheus.yml. */
  readonly files: Readonly<Record<string, string>>;
}

export function splitScrapeConfigs(config: Readonly<Record<string, unknown>>, mountPath: string, max = RULE_FILE_MAX_BYTES): ScrapeConfigSplit {
  const whole = toYaml(config);
  if (bytes(whole) <= max) return { main: whole, files: {} };
  const jobs = (config.scrape_configs ?? []) as readonly Record<string, unknown>[];
  const chunks: Record<string, unknown>[][] = [[]];
  let size = 0;
  for (const job of jobs) {
    const own = bytes(toYaml({ scrape_configs: [job] }));
    if (own > max) throw new Error(`prometheus.yml: scrape job ${String(job.job_name)} alone is ${own} bytes, over the ${max} a file may hold`);
    if (size + own > max && chunks.at(-1)!.length > 0) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(job);
    size += own;
  }
  const files = Object.fromEntries(chunks.map((chunk, i) => [`scrape-${i + 1}.yml`, toYaml({ scrape_configs: chunk })]));
  const rest = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'scrape_configs'));
  return { main: toYaml({ ...rest, scrape_config_files: [`${mountPath}/*.yml`] }), files };
}
