/** One generated file: its path relative to the repository root, and its exact bytes. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
}
