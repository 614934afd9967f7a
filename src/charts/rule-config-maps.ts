/**
 * Prometheus's rule files in as many ConfigMaps as they need, each holding at most RULE_FILE_MAX_BYTES of files (the
 * size every rule file is cut to, see src/alerts/split.ts), so each stays well under the API server's limits for
 * either form of `kubectl apply`. Files keep their order; a ConfigMap takes the next file while it fits.
 */
import { RULE_FILE_MAX_BYTES } from '../alerts/split';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The files, packed: one record of file name → content per ConfigMap. */
export function packRuleFiles(files: Readonly<Record<string, string>>, max = RULE_FILE_MAX_BYTES, what = 'rule file'): Record<string, string>[] {
  const packs: Record<string, string>[] = [{}];
  let size = 0;
  for (const [file, content] of Object.entries(files)) {
    const own = bytes(content);
    if (own > max) throw new Error(`${what} ${file}: ${own} bytes, over the ${max} one ConfigMap of them may hold`);
    if (size + own > max && Object.keys(packs.at(-1)!).length > 0) {
      packs.push({});
      size = 0;
    }
    packs.at(-1)![file] = content;
    size += own;
  }
  return packs;
}

/** `<name>-rules`, then `<name>-rules-2`, …: the first keeps the name a single ConfigMap always had. */
export const ruleConfigMapName = (name: string, index: number, kind = 'rules') => (index === 0 ? `${name}-${kind}` : `${name}-${kind}-${index + 1}`);
