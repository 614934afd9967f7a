/**
 * Checks a compose file against what each image was looked up to contain (src/spec/images.ts), since no
 * container can run here: every volume mounts where the image keeps data or config, every named volume is owned
 * by the user that writes it before that user starts, and every healthcheck or entrypoint command exists in
 * its image. Returns the problems found, each naming the service; an empty list means the file keeps the contract.
 */
import { posix } from 'node:path';
import { DEFAULT_PATHS } from '../../src/config/context';
import { IMAGE_CONTENTS, versions, type ImageContents, type PinnedImage } from '../../src/spec';

/**
 * Folders a service reads the host's data from rather than config: the collector tails `intake.logFiles.hostPath`
 * there. Such a bind mount must still be read-only and outside every volume, but not under the config directories.
 */
export const INPUT_DIRS: Readonly<Record<string, readonly string[]>> = { 'otel-collector': [DEFAULT_PATHS.logFiles] };

export interface ContractService {
  image?: string;
  build?: { context: string; dockerfile: string };
  user?: string;
  entrypoint?: string[];
  command?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  cap_add?: string[];
  network_mode?: string;
}

export interface ContractFile {
  services: Record<string, ContractService>;
}

/** What a service built from a Dockerfile runs: its base image and the USER line, read by the caller. */
export interface BuiltImage {
  readonly base: string;
  readonly user: string;
}

interface Uid {
  readonly uid: number;
  readonly gid: number;
}

/** Shell words that are builtins, not programs the image must contain. */
const SHELL_BUILTINS = new Set(['set', 'test', '[', 'umask', 'exit', 'true', 'false', 'cd', 'export', 'exec']);

/** Users named in a Dockerfile USER line that the base image was looked up to define. */
const NAMED_USERS: Partial<Record<PinnedImage, Record<string, Uid>>> = {
  node: { node: { uid: 1000, gid: 1000 } },
};

export function pinnedImageOf(ref: string): PinnedImage | undefined {
  return (Object.keys(versions) as PinnedImage[]).find((k) => `${versions[k].image}:${versions[k].tag}` === ref);
}

export function checkImageContract(file: ContractFile, built: Readonly<Record<string, BuiltImage>> = {}): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(file.services)) {
    const report = (message: string) => problems.push(`${name}: ${message}`);
    const ref = service.build ? built[name]?.base : service.image;
    const pinned = ref ? pinnedImageOf(ref) : undefined;
    if (!pinned) {
      report(`image ${ref ?? '(unknown build base)'} is not a pinned image whose contents were looked up`);
      continue;
    }
    const contents: ImageContents = IMAGE_CONTENTS[pinned];
    const runAs = effectiveUser(service.user ?? built[name]?.user, contents, pinned);
    if (!runAs) {
      report(`runs as ${service.user ?? built[name]?.user}, a user the ${pinned} image is not known to define`);
      continue;
    }
    if (runAs.uid === 0) checkRootService(service, report);
    checkVolumes(file, name, service, contents, runAs, report);
    checkCommands(service, contents, report);
  }
  return problems;
}

function effectiveUser(user: string | undefined, contents: ImageContents, image: PinnedImage): Uid | undefined {
  if (user === undefined) return contents.user;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  if (numeric) return { uid: Number(numeric[1]), gid: Number(numeric[2] ?? numeric[1]) };
  return NAMED_USERS[image]?.[user];
}

/** Root is for setting volume owners only: nothing but CHOWN/FOWNER, no network. */
function checkRootService(service: ContractService, report: (m: string) => void): void {
  const extra = (service.cap_add ?? []).filter((c) => c !== 'CHOWN' && c !== 'FOWNER');
  if (extra.length > 0) report(`runs as root with capabilities beyond CHOWN/FOWNER: ${extra.join(', ')}`);
  if (service.network_mode !== 'none') report('runs as root with a network; a root service here only sets volume owners');
}

function splitVolume(volume: string): { source: string; target: string; readOnly: boolean } {
  const [source = '', target = '', mode] = volume.split(':');
  return { source, target, readOnly: mode === 'ro' };
}

const isBind = (source: string) => source.startsWith('.') || source.startsWith('/');
const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

function checkVolumes(
  file: ContractFile,
  name: string,
  service: ContractService,
  contents: ImageContents,
  runAs: Uid,
  report: (m: string) => void,
): void {
  const mounts = (service.volumes ?? []).map(splitVolume);
  const namedTargets = mounts.filter((m) => !isBind(m.source)).map((m) => m.target);
  for (const mount of mounts) {
    if (isBind(mount.source)) {
      if (!mount.readOnly) report(`bind mount ${mount.source} is writable; generated files are mounted read-only`);
      const inVolume = namedTargets.find((t) => within(mount.target, t));
      if (inVolume) report(`bind mount at ${mount.target} lies inside the data volume at ${inVolume}`);
      const input = (INPUT_DIRS[name] ?? []).includes(mount.target);
      if (!input && contents.configDirs.length > 0 && !contents.configDirs.some((d) => within(mount.target, d))) {
        report(`bind mount at ${mount.target} is outside the image's config directories (${contents.configDirs.join(', ')})`);
      }
      continue;
    }
    if (runAs.uid === 0) continue;
    const writes = contents.writableDirs.some((d) => d.path === mount.target);
    if (!writes) {
      report(
        `volume ${mount.source} mounts at ${mount.target}, a path the image does not write ` +
          `(its data directory is ${contents.dataDir ?? 'none'})`,
      );
    }
    const owner = ownerAfterInit(file, name, service, mount.source);
    if (!owner) {
      report(
        `volume ${mount.source} is created owned by root and ${name} runs as uid ${runAs.uid}; ` +
          'no init service it waits for (service_completed_successfully) sets its owner',
      );
    } else if (owner.uid !== runAs.uid) {
      report(`volume ${mount.source} is given to uid ${owner.uid}, but ${name} runs as uid ${runAs.uid}`);
    }
  }
}

/** The owner a root init service that this one waits for gives the volume with `chown uid:gid <its mount>`. */
function ownerAfterInit(file: ContractFile, name: string, service: ContractService, volume: string): Uid | undefined {
  for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
    if (condition !== 'service_completed_successfully' || dependency === name) continue;
    const init = file.services[dependency];
    const mount = (init?.volumes ?? []).map(splitVolume).find((m) => m.source === volume);
    if (!init || !mount) continue;
    const script = [...(init.entrypoint ?? []), ...(init.command ?? [])].join(' ');
    const chown = new RegExp(`\\bchown (\\d+):(\\d+) ${escape(mount.target)}(?=[\\s;&|]|$)`).exec(script);
    if (chown) return { uid: Number(chown[1]), gid: Number(chown[2]) };
  }
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function checkCommands(service: ContractService, contents: ImageContents, report: (m: string) => void): void {
  const test = service.healthcheck?.test ?? [];
  if (test[0] === 'CMD') checkProgram(test.slice(1), contents, 'healthcheck', report);
  if (test[0] === 'CMD-SHELL') checkScript(test.slice(1).join(' '), contents, 'healthcheck', report);

  const entrypoint = service.entrypoint ?? [];
  if (entrypoint.length === 0) return;
  if (entrypoint.length === 2 && entrypoint[1] === '-c') {
    if (!contents.shell || !hasProgram(entrypoint[0]!, contents)) {
      report(`entrypoint runs the shell ${entrypoint[0]}, which the image does not have`);
      return;
    }
    checkScript((service.command ?? []).join(' '), contents, 'entrypoint script', report);
    return;
  }
  checkProgram(entrypoint, contents, 'entrypoint', report);
}

function hasProgram(program: string, contents: ImageContents): boolean {
  return program.startsWith('/') ? contents.executables.includes(program) : contents.onPath.includes(program);
}

function checkProgram(argv: readonly string[], contents: ImageContents, what: string, report: (m: string) => void): void {
  const [program, ...args] = argv;
  if (!program || !hasProgram(program, contents)) {
    report(`${what} runs ${program ?? '(nothing)'}, which the image does not have (${describe(contents)})`);
    return;
  }
  if (posix.basename(program) === 'wget') {
    for (const arg of args.filter((a) => a.startsWith('--'))) {
      const option = arg.split('=')[0]!;
      if (!contents.wgetOptions?.includes(option)) report(`${what}: the image's wget does not accept ${option}`);
    }
  }
}

/** The first word of each simple command in a shell script: the programs it runs. */
export function scriptPrograms(script: string): string[] {
  return script
    .split(/&&|\|\||[;|()]/)
    .map((part) => part.trim().replace(/^(\w+=\S*\s+)*/, '').split(/\s+/)[0] ?? '')
    .filter((word) => word !== '' && !SHELL_BUILTINS.has(word));
}

function checkScript(script: string, contents: ImageContents, what: string, report: (m: string) => void): void {
  if (!contents.shell) {
    report(`${what} needs a shell, which the image does not have (${describe(contents)})`);
    return;
  }
  for (const program of scriptPrograms(script)) {
    if (!hasProgram(program, contents)) report(`${what} runs ${program}, which the image does not have`);
  }
}

function describe(contents: ImageContents): string {
  return contents.shell ? `base ${contents.base}` : `${contents.base}: no shell, only ${contents.executables.join(', ')}`;
}
