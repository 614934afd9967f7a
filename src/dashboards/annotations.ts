import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ALERTS } from '../promql/builtin';
import { series } from '../promql/expr';
import { PROMETHEUS } from './datasources';
import { VAR } from './variables';

/** Firing alerts of the service, as annotations on every time axis. */
export const firingAlerts = () =>
  new dashboard.AnnotationQueryBuilder()
    .name('Firing alerts')
    .datasource({ ...PROMETHEUS })
    .enable(true)
    .iconColor('red')
    .expr(series(ALERTS, { alertstate: 'firing', service_name: VAR.service }))
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}}')
    .tagKeys('alertname,severity')
    .step('60s')
    .useValueForTime(false);
