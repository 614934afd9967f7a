/**
 * `obskit check <url|file> --service <name> [--spec <module>] [--timeout <ms>]`: what a running service exposes (or
 * a saved exposition) against the mixins its spec lists. Exit 0 clean, 1 breach, 2 usage, unreachable or bad spec.
 */
import { resolve } from 'node:path';
import { compare } from './compare';
import { ExpositionError, parseExposition } from './exposition';
import { report } from './report';
import { requiredMetrics, serviceCatalog } from './required';
import { fetchExposition, isUrl, readExpositionFile, SourceError, type Fetched } from './source';
import { loadSpecModule, SpecLoadError } from './spec';

export const USAGE = `usage: obskit check <url|file> --service <name> [--spec <module>] [--timeout <ms>]
  <url|file>  a running service's metrics endpoint (http://host:port/metrics) or a saved exposition
  --service   the service of the spec whose mixins the metrics must honour
  --spec      the stack spec module (default: src/stack.ts)
  --timeout   how long to wait for the endpoint, in ms (default 5000)
exit status: 0 clean, 1 breach, 2 usage error, unreachable endpoint or invalid spec`;

export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

interface Options {
  readonly target: string;
  readonly service: string;
  readonly specModule: string;
  readonly timeoutMs: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options | 'help' {
  let target: string | undefined;
  let service: string | undefined;
  let specModule = resolve(__dirname, '..', 'stack.ts');
  let timeoutMs = 5000;
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i]!.startsWith('--') && argv[i]!.includes('=') ? (argv[i]!.split(/=(.*)/s, 2) as [string, string]) : [argv[i]!, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i += 1;
      return next;
    };
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--service') service = value();
    else if (flag === '--spec') specModule = resolve(value());
    else if (flag === '--timeout') {
      const raw = value();
      timeoutMs = Number(raw);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout must be a whole number of milliseconds, got ${JSON.stringify(raw)}`);
    } else if (flag.startsWith('-')) throw new UsageError(`unknown option "${flag}"`);
    else if (target === undefined) target = flag;
    else throw new UsageError(`one URL or file only; got "${target}" and "${flag}"`);
  }
  if (target === undefined) throw new UsageError('give the URL of a metrics endpoint or a saved exposition file');
  if (service === undefined) throw new UsageError('--service names the service of the spec to check against');
  return { target, service, specModule, timeoutMs };
}

/** Runs the check; resolves to the exit status. */
export async function runCheck(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`check: ${error.message}`);
    io.err(USAGE);
    return 2;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }

  try {
    const spec = loadSpecModule(options.specModule);
    const service = spec.services.find((s) => s.name === options.service);
    if (!service) {
      io.err(`check: no service "${options.service}" in ${options.specModule}; its services: ${spec.services.map((s) => s.name).join(', ') || 'none'}`);
      return 2;
    }
    const mixins = [...new Set((service.mixins ?? []).map((u) => u.mixin.name))];
    if (mixins.length === 0) {
      io.err(`check: service "${service.name}" lists no mixins, so no metric is promised; list its mixins in the spec first`);
      return 2;
    }
    const fetched: Fetched = isUrl(options.target) ? await fetchExposition(options.target, options.timeoutMs) : await readExpositionFile(options.target);

    let exposition;
    try {
      exposition = parseExposition(fetched.text, fetched.format);
    } catch (error) {
      if (!(error instanceof ExpositionError)) throw error;
      io.out(`obskit check: service "${service.name}" at ${fetched.where}`);
      io.out(`  the exposition does not parse (${fetched.format === 'openmetrics' ? 'OpenMetrics' : 'Prometheus text'}): ${error.message}`);
      io.out('breach: Prometheus would fail this scrape whole');
      return 1;
    }
    const catalog = serviceCatalog(spec, service);
    const needs = requiredMetrics(spec, service);
    const result = compare(exposition, catalog, needs, mixins);
    const lines = report(
      { service: service.name, where: fetched.where, format: fetched.format, families: exposition.families.size, mixins, catalogSize: catalog.size, required: needs.size },
      result,
    );
    for (const line of lines) io.out(line);
    return result.findings.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof SourceError || error instanceof SpecLoadError) {
      io.err(`check: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
