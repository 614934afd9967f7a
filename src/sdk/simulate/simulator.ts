/**
 * Plays one service from its catalog entry: a Telemetry of its own (so every series carries its `service_name`),
 * an instrument per metric through the SDK, bounded label sets, and a tick that makes counters grow, histograms
 * and summaries observe and gauges wander, with error and slow periods (values.ts). Serves `/metrics` and the
 * health endpoints on the service's port.
 */
import type { Server } from 'node:http';
import type { AnyMetricDef } from '../catalog/define';
import { createTelemetry, type Telemetry } from '../telemetry';
import type { SimulatedMetric, SimulatedService } from './catalog';
import { counterRate, gaugeLevel, observation, phaseAt, seeded, weightOf, type Phase } from './values';

/** At most this many label sets per metric: plenty for every panel, far below any cardinality limit. */
export const MAX_LABEL_SETS = 64;

export interface SimulationOptions {
  readonly host?: string;
  /** Listen here instead of the catalog's port (0: a free one). */
  readonly port?: number;
  /** How often values move. Default 1000 ms. */
  readonly tickMs?: number;
  /** Length of one calm → errors → slow cycle. Default 10 minutes. */
  readonly cycleMs?: number;
}

export interface RunningSimulation {
  readonly service: SimulatedService;
  readonly telemetry: Telemetry;
  readonly server: Server;
  /** Stops the tick and closes the server. */
  stop(): Promise<void>;
}

/** The label sets a metric is emitted with: every combination, or a bounded subset that still uses every value. */
export function labelSets(metric: SimulatedMetric): Record<string, string>[] {
  const labels = metric.labelNames;
  if (labels.length === 0) return [{}];
  const values = labels.map((l) => metric.labelValues[l] ?? ['unknown']);
  const product = values.reduce((n, v) => n * v.length, 1);
  const sets: Record<string, string>[] = [];
  if (product <= MAX_LABEL_SETS) {
    for (let i = 0; i < product; i += 1) {
      let rest = i;
      sets.push(Object.fromEntries(labels.map((l, k) => {
        const v = values[k]!;
        const value = v[rest % v.length]!;
        rest = Math.floor(rest / v.length);
        return [l, value];
      })));
    }
    return sets;
  }
  const seen = new Set<string>();
  for (let j = 0; sets.length < MAX_LABEL_SETS && j < MAX_LABEL_SETS * 4; j += 1) {
    const set = Object.fromEntries(labels.map((l, k) => {
      const v = values[k]!;
      return [l, v[(j + k * Math.floor(j / v.length)) % v.length]!];
    }));
    const key = JSON.stringify(set);
    if (!seen.has(key)) {
      seen.add(key);
      sets.push(set);
    }
  }
  return sets;
}

/** The SDK definition of a catalog entry: its name is the catalog's (already checked by synth), so it is kept as is. */
function definitionOf(metric: SimulatedMetric): AnyMetricDef {
  return {
    name: metric.name,
    help: metric.help,
    type: metric.type,
    unit: metric.unit,
    labelNames: metric.labelNames,
    ...(metric.buckets ? { buckets: metric.buckets } : {}),
    ...(metric.percentiles ? { percentiles: metric.percentiles } : {}),
    origin: 'instrument',
    documentedName: true,
  };
}

type Call = (...args: unknown[]) => void;

interface Player {
  tick(phase: Phase, seconds: number, first: boolean): void;
}

function player(telemetry: Telemetry, metric: SimulatedMetric, random: () => number): Player {
  const instrument = telemetry.instrument(definitionOf(metric)) as unknown as Record<'inc' | 'set' | 'observe', Call>;
  const sets = labelSets(metric).map((labels) => ({
    labels,
    args: (value: number) => (metric.labelNames.length > 0 ? [labels, value] : [value]),
    rate: counterRate(metric, random),
    gauge: gaugeLevel(metric, random, Date.now() / 1000),
    step: 0,
  }));
  return {
    tick(phase, seconds, first) {
      for (const s of sets) {
        const weight = weightOf(s.labels, phase);
        switch (metric.type) {
          case 'counter':
            instrument.inc!(...s.args(s.rate * weight * seconds * (0.7 + random() * 0.6)));
            break;
          case 'gauge': {
            if (s.gauge.fixed) {
              if (first) instrument.set!(...s.args(s.gauge.level));
              break;
            }
            s.step += 1;
            const busy = phase === 'calm' ? 1 : 1.5;
            const value = s.gauge.level * weight * busy + s.gauge.spread * (Math.sin(s.step / 30) + (random() - 0.5));
            instrument.set!(...s.args(Math.min(s.gauge.max ?? Infinity, Math.max(0, Number(value.toPrecision(4))))));
            break;
          }
          default: {
            // A few observations per second for common label sets; rare ones now and then, and once at the start.
            const n = Math.floor(4 * weight * seconds + random());
            for (let i = 0; i < Math.max(n, first ? 1 : 0); i += 1) instrument.observe!(...s.args(observation(metric, phase, random)));
          }
        }
      }
    },
  };
}

/** Starts playing one service; resolves once its `/metrics` is served. */
export async function simulateService(service: SimulatedService, options: SimulationOptions = {}): Promise<RunningSimulation> {
  const telemetry = createTelemetry({
    serviceName: service.name,
    defaultMetrics: false,
    paths: { metrics: service.metricsPath },
  });
  let seed = 0;
  for (const c of service.name) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  const random = seeded(seed);
  const players = service.metrics.map((m) => {
    try {
      return player(telemetry, m, random);
    } catch (error) {
      // e.g. a mixin redefining a metric the SDK itself emits, with other buckets: the SDK's own one is served.
      telemetry.logger.warn({ metric: m.name, err: error }, 'metric not simulated');
      return undefined;
    }
  });
  const tickMs = options.tickMs ?? 1000;
  const cycleMs = options.cycleMs ?? 600_000;
  const started = Date.now();
  let last = started;
  const tick = (first: boolean) => {
    const now = Date.now();
    const phase = phaseAt(now - started, cycleMs);
    const seconds = first ? 1 : (now - last) / 1000;
    last = now;
    for (const p of players) p?.tick(phase, seconds, first);
  };
  tick(true);
  const timer = setInterval(() => tick(false), tickMs);
  timer.unref();
  const server = await telemetry.startMetricsServer({ port: options.port ?? service.port, host: options.host ?? '0.0.0.0' });
  return {
    service,
    telemetry,
    server,
    async stop() {
      clearInterval(timer);
      await telemetry.close();
    },
  };
}
