export { catalogOf, catalogMetric, mixinCatalog, CATALOG_SCHEMA_VERSION } from './catalog';
export { contractProblems } from './problems';
export type { BucketOverrides, CatalogMetric, MixinCatalog } from './catalog';
export { catalogArtifacts, catalogJson, CATALOG_DIR, PYTHON_DIR } from './artifacts';
export { catalogSchemaProblems, CATALOG_SCHEMA_PATH } from './schema';
export { pythonModule, pythonPackageInit, PYTHON_PACKAGE } from './python';
export { pythonModuleName } from './python-names';
