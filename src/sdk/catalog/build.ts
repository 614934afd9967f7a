import { defineMetric } from './define';

/** A constant-1 gauge whose labels say what is running: join on it to break any panel down by version. */
export const serviceBuildInfo = defineMetric({
  name: 'service_build_info',
  help: 'Always 1; labels identify the running build of the service.',
  type: 'gauge',
  unit: '',
  labelNames: ['service_version', 'vcs_revision', 'process_runtime_version'],
});

/** The SDK's own health: how many observations the cardinality guard folded into the overflow series. */
export const sdkSeriesOverflow = defineMetric({
  name: 'obskit_sdk_series_overflow_total',
  help: 'Observations folded into the overflow series because the metric reached its label-set cap.',
  type: 'counter',
  unit: '',
  labelNames: ['metric_name'],
});

/** The label value every label takes in a metric's overflow series. */
export const OVERFLOW_LABEL_VALUE = '_overflow';

export const buildMetrics = [serviceBuildInfo, sdkSeriesOverflow] as const;
