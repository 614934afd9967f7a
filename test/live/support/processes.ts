import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { freePort } from '../../support/net';
import { isOk, waitFor } from './api';

/**
 * The programs the live test runs, each in its own process group (spawned detached), so stopping one stops
 * whatever it started too. `stopAll` sends SIGTERM to each group, then SIGKILL to what is left after a grace
 * period. If the test process exits without reaching it, every group gets SIGKILL on the way out; and should the
 * test process itself be killed (no exit handler runs then), each program has a reaper — a detached `sh` loop that
 * SIGKILLs the program's group once the test process is gone — which `stopAll` ends too.
 */

export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its reaper (see Processes): a process group of its own. */
  readonly reaper: ChildProcess;
  /** The last ~256 KiB of stdout and stderr, for failure messages. */
  output(): string;
  exited(): boolean;
}

const KEEP = 256 * 1024;

export class Processes {
  private readonly all: Managed[] = [];
  private readonly onExit = () => this.killAllNow();

  constructor() {
    process.once('exit', this.onExit);
  }

  start(name: string, command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Managed {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    let out = '';
    const keep = (d: Buffer) => {
      out += d.toString();
      if (out.length > 2 * KEEP) out = out.slice(-KEEP);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let gone = false;
    child.once('exit', () => (gone = true));
    child.once('error', (error) => {
      gone = true;
      out += `\n[spawn error] ${String(error)}`;
    });
    const reaper = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 -${child.pid} 2>/dev/null`], {
      detached: true,
      stdio: 'ignore',
    });
    reaper.unref();
    const managed: Managed = { name, child, pid: child.pid, reaper, output: () => out.slice(-KEEP), exited: () => gone };
    this.all.push(managed);
    return managed;
  }

  get list(): readonly Managed[] {
    return this.all;
  }

  /** How each program stopped: how long after SIGTERM, and whether it needed SIGKILL. */
  readonly stops: { name: string; ms: number; killed: boolean }[] = [];

  /**
   * Stops the programs in the reverse order of their start (a client before the server it sends to, so its last
   * flush still lands): SIGTERM to the process group, SIGKILL if it has not exited after `graceMs`. Idempotent.
   */
  async stopAll(graceMs = 5000): Promise<void> {
    for (const m of [...this.all].reverse()) {
      if (m.exited()) continue;
      const started = Date.now();
      const exit = new Promise<void>((resolve) => (m.exited() ? resolve() : m.child.once('exit', () => resolve())));
      signalGroup(m.pid, 'SIGTERM');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        signalGroup(m.pid, 'SIGKILL');
      }, graceMs);
      await exit;
      clearTimeout(timer);
      this.stops.push({ name: m.name, ms: Date.now() - started, killed });
    }
    // A group may outlive its leader (a grandchild): make sure nothing of it is left. Then end the reapers.
    for (const m of this.all) signalGroup(m.pid, 'SIGKILL');
    await Promise.all(
      this.all.map(({ reaper }) => {
        const gone = new Promise<void>((resolve) => (reaper.exitCode !== null || reaper.signalCode !== null ? resolve() : reaper.once('exit', () => resolve())));
        if (reaper.pid !== undefined) signalGroup(reaper.pid, 'SIGKILL');
        return gone;
      }),
    );
    process.removeListener('exit', this.onExit);
  }

  private killAllNow(): void {
    for (const m of this.all) signalGroup(m.pid, 'SIGKILL');
    for (const m of this.all) if (m.reaper.pid !== undefined) signalGroup(m.reaper.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Whether a live process of the group `pgid` is left. On Linux, /proc says (a zombie, already dead and waiting to
 * be reaped by init, does not count); elsewhere, whether the group can still be signalled.
 */
export function groupAlive(pgid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(pgrp) === pgid && state !== 'Z') return true;
      } catch {
        // gone meanwhile
      }
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export { freePort };

/** `n` distinct free ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

export interface ListeningSocket {
  readonly pid: number;
  readonly address: string;
  readonly port: number;
}

/** `/proc/net/tcp{,6}` addresses: little-endian hex IPv4, four little-endian words for IPv6. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const words = [0, 1, 2, 3].map((w) => hex.slice(w * 8, w * 8 + 8).match(/../g)!.reverse().join(''));
  const full = words.join('');
  if (/^0{32}$/.test(full)) return '::';
  if (full === '00000000000000000000000000000001') return '::1';
  if (full.startsWith('00000000000000000000ffff')) {
    const v4 = full.slice(24);
    return `::ffff:${[0, 1, 2, 3].map((i) => parseInt(v4.slice(i * 2, i * 2 + 2), 16)).join('.')}`;
  }
  return full.match(/..../g)!.join(':');
}

/**
 * The TCP sockets the given processes listen on (Linux: sockets of /proc/<pid>/fd matched against
 * /proc/net/tcp and tcp6 in LISTEN state); undefined where /proc is not available.
 */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const owner = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) owner.set(m[1]!, pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  const out: ListeningSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const pid = owner.get(cols[9]!);
      if (pid === undefined) continue;
      const [addr, port] = cols[1]!.split(':');
      out.push({ pid, address: decodeAddress(addr!), port: parseInt(port!, 16) });
    }
  }
  return out;
}

/** Waits until `url` answers 2xx, failing at once (with the program's output) if the program exits first. */
export async function waitUntilReady(m: Managed, url: string): Promise<void> {
  await waitFor(`${m.name} to be ready at ${url}`, async () => {
    if (m.exited()) throw new Error(`${m.name} exited:\n${m.output()}`);
    return (await isOk(url)) ? true : undefined;
  }, 40_000).catch((error: unknown) => {
    throw new Error(`${String(error)}\n--- ${m.name} output ---\n${m.output().slice(-4000)}`);
  });
}
