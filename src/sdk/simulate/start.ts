import { readFileSync } from 'node:fs';
import { parseCatalog, type SimulatedService } from './catalog';
import { simulateService, type RunningSimulation } from './simulator';

/** Where synth writes the catalog, relative to the repository (compose mounts the same file). */
export const DEFAULT_CATALOG = 'compose/simulator/catalog.json';

/**
 * The services `SIMULATE` names (comma-separated; `all` for every one), from the catalog at `SIMULATE_CATALOG`.
 * An unknown name is an error that lists the known ones.
 */
export function selectServices(catalogPath: string, wanted: string): SimulatedService[] {
  const catalog = parseCatalog(readFileSync(catalogPath, 'utf8'), catalogPath);
  const names = wanted.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...catalog.services];
  return names.map((name) => {
    const found = catalog.services.find((s) => s.name === name);
    if (!found) {
      throw new Error(`SIMULATE names "${name}", which ${catalogPath} does not have; it has: ${catalog.services.map((s) => s.name).join(', ') || 'no service'}`);
    }
    return found;
  });
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * Starts the simulated services the environment names: SIMULATE (names or `all`), SIMULATE_CATALOG (default
 * compose/simulator/catalog.json), HOST (default 0.0.0.0), SIMULATE_CYCLE_SECONDS (calm → errors → slow, default
 * 600) and SIMULATE_TICK_MS (default 1000). Each is served on its catalog port.
 */
export async function startSimulationFromEnv(): Promise<RunningSimulation[]> {
  const wanted = process.env.SIMULATE ?? '';
  if (wanted.trim() === '') return [];
  const services = selectServices(process.env.SIMULATE_CATALOG || DEFAULT_CATALOG, wanted);
  const options = {
    host: process.env.HOST || '0.0.0.0',
    cycleMs: positive('SIMULATE_CYCLE_SECONDS', 600) * 1000,
    tickMs: positive('SIMULATE_TICK_MS', 1000),
  };
  const running: RunningSimulation[] = [];
  try {
    for (const service of services) running.push(await simulateService(service, options));
  } catch (error) {
    await Promise.all(running.map((r) => r.stop()));
    throw error;
  }
  return running;
}
