/**
 * The catalog as synth writes it: `dist/catalog/<mixin>.json` per mixin of the spec (checked against the schema
 * before anything is written) and the Python bindings under `dist/catalog/python/`.
 */
import { posix } from 'node:path';
import { GeneratedCheckError } from '../output/check-error';
import type { Artifact } from '../output/artifact';
import type { StackSpec } from '../spec/types';
import { catalogOf, type MixinCatalog } from './catalog';
import { PYTHON_PACKAGE, pythonModule, pythonPackageInit } from './python';
import { pythonModuleName } from './python-names';
import { CATALOG_SCHEMA_PATH, catalogSchemaProblems } from './schema';

export const CATALOG_DIR = 'dist/catalog';
export const PYTHON_DIR = `${CATALOG_DIR}/python/${PYTHON_PACKAGE}`;

/** JSON indented by two, with lists of numbers or strings (labels, buckets) on one line. */
function readableJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + readableJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${readableJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The file's JSON: `$schema` (relative to the file, for editors) first, then the catalog. */
export function catalogJson(catalog: MixinCatalog): string {
  const relativeSchema = posix.relative(CATALOG_DIR, CATALOG_SCHEMA_PATH);
  return `${readableJson({ $schema: relativeSchema, ...catalog })}\n`;
}

export function catalogArtifacts(spec: StackSpec): Artifact[] {
  const catalogs = catalogOf(spec);
  const json = catalogs.map((c) => ({ path: `${CATALOG_DIR}/${c.mixin}.json`, content: catalogJson(c) }));
  const problems = json.flatMap((a) => catalogSchemaProblems(JSON.parse(a.content)).map((p) => `${a.path} ${p}`));
  if (problems.length > 0) throw new GeneratedCheckError(`the generated catalog (${CATALOG_DIR})`, problems);
  return [
    ...json,
    { path: `${PYTHON_DIR}/__init__.py`, content: pythonPackageInit(catalogs) },
    { path: `${PYTHON_DIR}/py.typed`, content: '' },
    ...catalogs.map((c) => ({ path: `${PYTHON_DIR}/${pythonModuleName(c.mixin)}.py`, content: pythonModule(c) })),
  ];
}
