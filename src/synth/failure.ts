/**
 * Why synth stopped, said for a person: which file, which line, what is wrong, and that nothing was written. Never
 * a stack trace, except for an error obskit has no words for (a bug), and then only with OBSKIT_DEBUG=1.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GeneratedCheckError } from '../output/check-error';
import { SpecError } from '../spec';

const NOTHING_WRITTEN = 'Nothing was written.';

/**
 * The syntax errors of a TypeScript file as tsx reports them: esbuild's `Transform failed with N errors:` followed by
 * one `file:line:column: ERROR: text` line per error (column counted from 0).
 */
function syntaxErrors(error: Error): { file: string; line: number; column: number; text: string }[] {
  if (error.name !== 'TransformError') return [];
  return [...error.message.matchAll(/^(.+?):(\d+):(\d+): ERROR: (.*)$/gm)].map((m) => ({
    file: m[1]!,
    line: Number(m[2]),
    column: Number(m[3]),
    text: m[4]!,
  }));
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[line - 1];
  } catch {
    return undefined;
  }
}

const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
};

/** `file:line:column` of the first stack frame in one of `files` (or outside node_modules), if any. */
function throwSite(error: Error, files: readonly string[]): string | undefined {
  const frames = [...(error.stack ?? '').matchAll(/^\s+at (?:.*? \()?((?:\/|[A-Za-z]:\\).+?):(\d+):(\d+)\)?$/gm)];
  const inFiles = frames.find((m) => files.includes(m[1]!));
  const own = frames.find((m) => !m[1]!.includes('node_modules') && !m[1]!.startsWith('node:'));
  const m = inFiles ?? own;
  return m ? `${shown(m[1]!)}:${m[2]}:${m[3]}` : undefined;
}

/** Why loading the spec module failed: a syntax error, a missing file or import, or an error its code threw. */
export function explainLoadFailure(error: unknown, specModule: string): string {
  const fix = `${NOTHING_WRITTEN} Fix the spec (${shown(specModule)}) and run synth again.`;
  if (error instanceof SpecError) return `synth: ${error.message}\n${fix}`;
  const e = error instanceof Error ? error : new Error(String(error));
  const syntax = syntaxErrors(e);
  if (syntax.length > 0) {
    const lines = syntax.map(({ file, line, column, text }) => {
      const source = sourceLine(file, line);
      const excerpt = source === undefined ? '' : `\n    ${source}\n    ${' '.repeat(column)}^`;
      return `  ${shown(file)}:${line}:${column + 1}: ${text}${excerpt}`;
    });
    return `synth: the spec has a syntax error:\n${lines.join('\n')}\n${fix}`;
  }
  const { code, requireStack } = e as { code?: string; requireStack?: string[] };
  if (code === 'MODULE_NOT_FOUND' && e.message.includes(`'${specModule}'`)) {
    return `synth: no spec module at ${shown(specModule)} (--spec names a .ts file exporting "stack").`;
  }
  const importer = code === 'MODULE_NOT_FOUND' ? requireStack?.[0] : undefined;
  const site = importer !== undefined ? shown(importer) : throwSite(e, [specModule]);
  const what = `${e.name}: ${e.message.split('\n')[0]}`;
  return `synth: loading the spec failed${site ? ` at ${site}` : ''}:\n  ${what}\n${fix}`;
}

/** Why generating failed once the spec was valid: a generated file failed its check, or a bug. */
export function explainBuildFailure(error: unknown): string {
  if (error instanceof SpecError) return `synth: ${error.message}\n${NOTHING_WRITTEN}`;
  if (error instanceof GeneratedCheckError) {
    return (
      `synth: ${error.message}\n${NOTHING_WRITTEN} The spec is valid, so this is a defect in an obskit generator or ` +
      'catalog (src/dashboards, src/alerts, src/contract, src/promql/catalogs); please report it with the lines above.'
    );
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const site = throwSite(e, []);
  const debug = process.env.OBSKIT_DEBUG === '1' ? `\n${e.stack ?? ''}` : '\n(OBSKIT_DEBUG=1 shows the stack trace.)';
  return `synth: generating failed${site ? ` at ${site}` : ''}: ${e.name}: ${e.message}\n${NOTHING_WRITTEN}${debug}`;
}
