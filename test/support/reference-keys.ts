/**
 * Checks a rendered config against a reference of documented keys (test/config/reference/*.json), for the
 * programs that cannot run here or must not be built (Grafana, Loki, Tempo: AGPL).
 */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path, or undefined. */
export const get = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (isObj(node) ? node[key] : undefined), root);

/** Every key path of a value (objects joined by '.', list items as '[]'), leaves marked. */
export function keyPaths(value: unknown, prefix = ''): Array<{ path: string; leaf: boolean }> {
  if (Array.isArray(value)) {
    const own = { path: prefix, leaf: value.length === 0 };
    return [own, ...value.flatMap((item) => keyPaths(item, `${prefix}[]`))];
  }
  if (isObj(value)) {
    const own = prefix ? [{ path: prefix, leaf: Object.keys(value).length === 0 }] : [];
    return [...own, ...Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))];
  }
  return [{ path: prefix, leaf: true }];
}

/**
 * Key paths of `value` (under `prefix`) that the reference does not document: a leaf must be listed, an inner
 * node must lead to a listed key.
 */
export function undocumentedKeys(value: unknown, documented: readonly string[], prefix = ''): string[] {
  const bad = new Set<string>();
  for (const { path, leaf } of keyPaths(value, prefix)) {
    const ok = leaf
      ? documented.includes(path)
      : documented.some((k) => k === path || k.startsWith(`${path}.`) || k.startsWith(`${path}[]`));
    if (!ok) bad.add(path);
  }
  return [...bad];
}

/** Values at a reference path ('[]' expands every list item). */
export function valuesAt(root: unknown, path: string): unknown[] {
  let nodes: unknown[] = [root];
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    nodes = nodes.flatMap((n) => {
      const v = isObj(n) ? n[key] : undefined;
      return list ? (Array.isArray(v) ? v : []) : v === undefined ? [] : [v];
    });
  }
  return nodes;
}
