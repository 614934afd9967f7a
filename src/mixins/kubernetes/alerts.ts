import type { AlertTemplate } from '../../alerts/define';
import { counterOf, gauge, input, minutes, minutesOf } from '../../alerts/examples';
import { humanizePercentage } from '../../alerts/humanize';
import { ownVolumeClaims } from '../../config/claims';
import { and, div, duration, eqOp, ge, gt, increase, lt, maxBy, ne, predictLinear, rate, series, sumBy } from '../../promql/expr';
import { parsePrometheusDuration } from '../../spec/duration';
import type { StackSpec } from '../../spec/types';
import {
  containerCfsPeriods,
  containerCfsThrottledPeriods,
  nodeStatusCondition,
  podContainerLastTerminatedReason,
  podContainerRestarts,
  volumeAvailableBytes,
} from './metrics';

/**
 * The cluster's alerts: containers crash-looping or killed for memory, CPU limits throttling them, a node not
 * ready, and a PersistentVolumeClaim — any of them, obskit's own Prometheus, Loki and Tempo claims included —
 * predicted to fill within a day. Each is per container, node or claim, so one bad pod is one alert.
 */

export interface KubernetesAlertConfig {
  readonly crashLoopRestarts: number;
  readonly throttlingRatio: number;
  readonly volumeFullWithin: string;
  readonly volumeTrendWindow: string;
}

const CONTAINER = ['namespace', 'pod', 'container'] as const;
const KSM_TARGET = { job: 'kube-state-metrics', instance: '10.0.3.7:8080', service_name: 'kube-state-metrics' };
const KUBELET_TARGET = { job: 'kubelet', instance: 'node-1', service_name: 'kubelet', node: 'node-1' };
const CADVISOR_TARGET = { ...KUBELET_TARGET, job: 'kubelet-cadvisor', service_name: 'kubelet-cadvisor' };
const APP = { namespace: 'shop', pod: 'checkout-7d9f-x2x4q', container: 'app' };

/** How often a container restarted within this window is what a crash loop is. */
const RESTART_WINDOW = '15m';

const crashLooping = (threshold: number): AlertTemplate => ({
  alert: 'KubePodCrashLooping',
  runbook: 'KubePodCrashLooping.md',
  severity: 'warning',
  for: '5m',
  threshold,
  thresholdCheck: (v) => (Number.isInteger(v) && v >= 1 ? undefined : `counts restarts: must be a whole number of at least 1, got ${v}`),
  build: ({ threshold: t, for: forDuration }) => {
    const restarts = t ?? threshold;
    const length = 15 + minutesOf(forDuration) + 10;
    // A restart every `every` minutes, as the kubelet's back-off would have it at its start.
    const restarting = (every: number) =>
      input(podContainerRestarts.name, { ...KSM_TARGET, ...APP, uid: 'c0ffee' }, counterOf(Array.from({ length }, (_, i) => ((i + 1) % every === 0 ? 1 : 0))));
    const often = Math.max(1, Math.floor(15 / (restarts * 2)));
    return {
      expr: ge(sumBy(CONTAINER, increase(series(podContainerRestarts), RESTART_WINDOW)), restarts),
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} keeps restarting.',
      description:
        `It restarted at least ${restarts} times in ${RESTART_WINDOW}, for more than ${forDuration ?? '0s'}: ` +
        'it crashes or fails its liveness probe as soon as it starts, and serves nothing in between.',
      examples: {
        fires: {
          name: `a restart every ${often} minute(s) for ${length} minutes`,
          series: [restarting(often)],
          evalTime: minutes(length),
          alerts: [{ labels: APP }],
        },
        silent: { name: `a restart every 15 minutes, under ${restarts} in ${RESTART_WINDOW}`, series: [restarting(15)], evalTime: minutes(length) },
      },
    };
  },
});

const oomKilled: AlertTemplate = {
  alert: 'KubeContainerOOMKilled',
  runbook: 'KubeContainerOOMKilled.md',
  severity: 'warning',
  build: () => {
    const last = (reason: string) =>
      input(podContainerLastTerminatedReason.name, { ...KSM_TARGET, ...APP, uid: 'c0ffee', reason }, gauge({ minutes: 20, value: 1 }));
    const restartedAt5 = input(podContainerRestarts.name, { ...KSM_TARGET, ...APP, uid: 'c0ffee' }, counterOf(Array.from({ length: 20 }, (_, i) => (i === 14 ? 1 : 0))));
    return {
      // The restart says it happened lately; the last terminated reason says why (kube-state-metrics keeps the last).
      expr: and(
        gt(sumBy(CONTAINER, increase(series(podContainerRestarts), '10m')), 0),
        eqOp(maxBy(CONTAINER, series(podContainerLastTerminatedReason, { reason: 'OOMKilled' })), 1),
        { on: CONTAINER },
      ),
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was killed for running out of memory.',
      description:
        'It restarted in the last 10 minutes and its last termination was OOMKilled: it used more memory than its limit ' +
        '(or the node ran out). Requests in flight were lost; a limit too low for its load kills it again.',
      examples: {
        fires: { name: 'restarted 5 minutes ago, last terminated OOMKilled', series: [restartedAt5, last('OOMKilled')], evalTime: minutes(20), alerts: [{ labels: APP }] },
        silent: { name: 'restarted 5 minutes ago, last terminated with an Error exit', series: [restartedAt5, last('Error')], evalTime: minutes(20) },
      },
    };
  },
};

const throttled = (threshold: number): AlertTemplate => ({
  alert: 'KubeContainerCPUThrottlingHigh',
  runbook: 'KubeContainerCPUThrottlingHigh.md',
  severity: 'info',
  for: '15m',
  threshold,
  thresholdCheck: (v) => (v > 0 && v < 1 ? undefined : `compares a ratio: must be between 0 and 1 (exclusive), got ${v}`),
  build: ({ threshold: t, for: forDuration }) => {
    const ratio = t ?? threshold;
    const length = 5 + minutesOf(forDuration) + 5;
    // 100 ms CFS periods: 600 a minute while the container wants CPU.
    const periods = (share: number) => [
      input(containerCfsPeriods.name, { ...CADVISOR_TARGET, ...APP, id: '/kubepods/pod1/c1', name: 'c1', image: 'shop/checkout:1.4.2' }, counterOf(Array(length).fill(600))),
      input(
        containerCfsThrottledPeriods.name,
        { ...CADVISOR_TARGET, ...APP, id: '/kubepods/pod1/c1', name: 'c1', image: 'shop/checkout:1.4.2' },
        counterOf(Array(length).fill(Math.round(600 * share))),
      ),
    ];
    const firing = Math.min(0.9, ratio * 2);
    const by = CONTAINER;
    return {
      expr: gt(
        div(sumBy(by, rate(series(containerCfsThrottledPeriods, { container: ne('') }), '5m')), sumBy(by, rate(series(containerCfsPeriods, { container: ne('') }), '5m'))),
        ratio,
      ),
      summary: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is throttled by its CPU limit.',
      description:
        `{{ $value | humanizePercentage }} of its CPU periods over the last 5 minutes were throttled (threshold ${humanizePercentage(ratio)}), ` +
        `for more than ${forDuration ?? '0s'}: its CPU limit slows it down, which shows as latency long before CPU looks busy.`,
      examples: {
        fires: { name: `${humanizePercentage(firing)} of periods throttled`, series: periods(firing), evalTime: minutes(length), alerts: [{ labels: APP, value: Math.round(600 * firing) / 600 }] },
        silent: { name: `${humanizePercentage(ratio / 2)} of periods throttled`, series: periods(ratio / 2), evalTime: minutes(length) },
      },
    };
  },
});

const nodeNotReady: AlertTemplate = {
  alert: 'KubeNodeNotReady',
  runbook: 'KubeNodeNotReady.md',
  severity: 'warning',
  for: '15m',
  build: ({ for: forDuration }) => {
    const f = minutesOf(forDuration);
    const ready = (notReadyMinutes: number) => [
      input(nodeStatusCondition.name, { ...KSM_TARGET, node: 'node-2', condition: 'Ready', status: 'true' }, gauge({ minutes: 1, value: 1 }, { minutes: notReadyMinutes, value: 0 })),
    ];
    return {
      expr: eqOp(maxBy(['node'], series(nodeStatusCondition, { condition: 'Ready', status: 'true' })), 0),
      summary: 'Node {{ $labels.node }} is not ready.',
      description:
        `Node {{ $labels.node }} has not been Ready for more than ${forDuration ?? '0s'}: the scheduler places nothing new on it, and ` +
        'its pods are evicted once the node lifecycle controller gives up on it.',
      examples: {
        fires: { name: `not ready for ${f + 1} minutes`, series: ready(f + 2), evalTime: minutes(f + 3), alerts: [{ labels: { node: 'node-2' } }] },
        silent: { name: `not ready for ${Math.max(f - 1, 0)} minutes, shorter than \`for\``, series: ready(f), evalTime: minutes(f + 1) },
      },
    };
  },
};

/**
 * obskit's own claims in the spec's profile (Prometheus's, Loki's, Tempo's and, for Tempo's microservices, Kafka's),
 * which the examples show the alert covers.
 */
export function ownClaims(spec: StackSpec): { namespace: string; persistentvolumeclaim: string }[] {
  return ownVolumeClaims(spec).map((claim) => ({ namespace: spec.namespace, persistentvolumeclaim: claim }));
}

const seconds = (d: string) => (parsePrometheusDuration(d) ?? 0) / 1000;

const volumeFillingUp = (spec: StackSpec, fullWithin: string, trendWindow: string): AlertTemplate => ({
  alert: 'KubePersistentVolumeFillingUp',
  runbook: 'KubePersistentVolumeFillingUp.md',
  severity: 'warning',
  for: '1h',
  build: ({ for: forDuration }) => {
    const windowMinutes = Math.ceil(seconds(trendWindow) / 60);
    const fullMinutes = Math.ceil(seconds(fullWithin) / 60);
    const length = windowMinutes + minutesOf(forDuration) + 10;
    // Samples every 10 minutes where the span allows (hours of input), else every minute.
    const step = length % 10 === 0 ? 10 : 1;
    const perMinute = 1_000_000;
    // Free space falling at `perMinute` bytes a minute, reaching zero `minutesLeft` after the evaluation.
    const filling = (minutesLeft: number) =>
      ownClaims(spec).map((claim) =>
        input(volumeAvailableBytes.name, { ...KUBELET_TARGET, ...claim }, `${perMinute * (minutesLeft + length)}-${perMinute * step}x${length / step}`),
      );
    return {
      expr: lt(maxBy(['namespace', 'persistentvolumeclaim'], predictLinear(series(volumeAvailableBytes), duration(trendWindow), seconds(fullWithin))), 0),
      summary: 'PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within ' + fullWithin + '.',
      description:
        `At the rate its free space fell over the last ${trendWindow}, the volume of claim {{ $labels.persistentvolumeclaim }} ` +
        `fills up within ${fullWithin}, and has been on that course for more than ${forDuration ?? '0s'}. A full volume stops ` +
        'writes: Prometheus, Loki and Tempo lose the data they receive.',
      examples: {
        fires: {
          name: `obskit's Prometheus, Loki and Tempo claims full ${fullMinutes / 2} minutes from now`,
          series: filling(fullMinutes / 2),
          interval: `${step}m`,
          evalTime: minutes(length),
          alerts: ownClaims(spec).map((labels) => ({ labels })),
        },
        silent: { name: `the same claims full ${fullMinutes * 2} minutes from now`, series: filling(fullMinutes * 2), interval: `${step}m`, evalTime: minutes(length) },
      },
    };
  },
});

export function kubernetesAlerts(spec: StackSpec, config: KubernetesAlertConfig): AlertTemplate[] {
  return [
    crashLooping(config.crashLoopRestarts),
    oomKilled,
    throttled(config.throttlingRatio),
    nodeNotReady,
    volumeFillingUp(spec, config.volumeFullWithin, config.volumeTrendWindow),
  ];
}

