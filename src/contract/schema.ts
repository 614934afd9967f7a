/**
 * The catalog format's JSON Schema (schema/catalog.schema.json, draft 2020-12), compiled with Ajv: synth checks every
 * catalog file against it before writing, and so do the tests (with wrong files too).
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import schema from '../../schema/catalog.schema.json';

/** Where the schema is committed, relative to the repository root (and `$schema` of each file, relative to it). */
export const CATALOG_SCHEMA_PATH = 'schema/catalog.schema.json';

let compiled: ReturnType<Ajv2020['compile']> | undefined;

const describe = (e: ErrorObject) => `${e.instancePath || '(the file)'}: ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`;

/** What is wrong with a catalog file's content against the schema, one line per problem (empty when valid). */
export function catalogSchemaProblems(content: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
  return compiled(content) ? [] : (compiled.errors ?? []).map(describe);
}
