/**
 * Turns Loki's configuration reference (docs/sources/shared/configuration.md of the grafana/loki repository at the
 * pinned release) into the key list of test/config/reference/loki-<version>.json: every documented key path under
 * the top-level blocks obskit renders, with its documented type and default. Only these facts are kept, never the
 * document's text.
 *
 *   npx tsx test/config/reference/extract-loki-config.ts <configuration.md> > keys.json
 *
 * The document is a YAML-like listing: `[key: <type> | default = value]` for a documented field, `key:` for an
 * inline block, `[key: <block_name>]` for a block described in its own `### block_name` section, and
 * `[key: <list of block_names>]` for a list of them. Paths use '.' for objects and '[]' for list items, as
 * test/support/reference-keys.ts reads them.
 */
import { readFileSync } from 'node:fs';

export interface DocumentedKey {
  readonly type: string;
  readonly default?: string;
}

/** Each block's listing: the root (`Supported contents …`) under '', every `### name` section under its name. */
export function blocksOf(markdown: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  let name: string | undefined;
  let inYaml = false;
  for (const line of markdown.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) {
      name = heading[1]!.startsWith('Supported contents') ? '' : heading[1]!.trim();
      inYaml = false;
      continue;
    }
    if (name === undefined) continue;
    if (line.startsWith('```yaml') && !blocks.has(name)) {
      blocks.set(name, []);
      inYaml = true;
    } else if (line.startsWith('```')) inYaml = false;
    else if (inYaml) blocks.get(name)!.push(line);
  }
  return blocks;
}

const FIELD = /^(\s*)\[([A-Za-z0-9_]+): (<[^>]+>|[^|\]]+?)(?: \| default = (.*))?\]$/;
const INLINE = /^(\s*)([A-Za-z0-9_]+):\s*$/;

/** Every documented key path of a block, its referenced blocks expanded. */
export function keysOf(blocks: Map<string, string[]>, block: string, prefix = '', seen: readonly string[] = []): Map<string, DocumentedKey> {
  const out = new Map<string, DocumentedKey>();
  const lines = blocks.get(block);
  if (!lines) throw new Error(`no block ${block}`);
  const stack: { indent: number; path: string }[] = [];
  const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const field = FIELD.exec(line);
    const inline = INLINE.exec(line);
    const indent = (field ?? inline)?.[1]?.length;
    if (indent === undefined) continue; // a continuation of a long default
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]!.path : prefix;
    if (inline) {
      const path = join(parent, inline[2]!);
      out.set(path, { type: 'block' });
      stack.push({ indent, path });
      continue;
    }
    const [, , key, rawType, defaultValue] = field!;
    const type = rawType!.trim();
    const path = join(parent, key!);
    const list = /^<list of (.+)s>$/.exec(type);
    const referenced = list ? list[1]! : /^<(.+)>$/.exec(type)?.[1];
    if (referenced && blocks.has(referenced) && !seen.includes(referenced)) {
      const itemPath = list ? `${path}[]` : path;
      out.set(path, { type: list ? `list of ${referenced}` : referenced });
      for (const [k, v] of keysOf(blocks, referenced, itemPath, [...seen, referenced])) out.set(k, v);
      continue;
    }
    out.set(path, { type, ...(defaultValue !== undefined ? { default: defaultValue.trim() } : {}) });
  }
  return out;
}

if (require.main === module) {
  const [file, ...roots] = process.argv.slice(2);
  if (!file) throw new Error('usage: extract-loki-config.ts <configuration.md> [top-level keys...]');
  const all = keysOf(blocksOf(readFileSync(file, 'utf8')), '');
  const wanted = roots.length > 0 ? roots : [...new Set([...all.keys()].map((k) => k.split('.')[0]!))];
  const keys = Object.fromEntries([...all].filter(([k]) => wanted.includes(k.split(/[.[]/)[0]!)));
  process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
}
