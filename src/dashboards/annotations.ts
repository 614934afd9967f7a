import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { ALERTS } from '../promql/builtin';
import { series } from '../promql/expr';
import { PROMETHEUS } from './datasources';
import { VAR } from './variables';

/** Firing alerts of the selected service (or of every service), as annotations on every time axis. */
export const firingAlerts = (ofSelectedService = true) =>
  new dashboard.AnnotationQueryBuilder()
    .name('Firing alerts')
    .datasource({ ...PROMETHEUS })
    .enable(true)
    .iconColor('red')
    .expr(series(ALERTS, ofSelectedService ? { alertstate: 'firing', service_name: VAR.service } : { alertstate: 'firing' }))
    .titleFormat('{{alertname}}')
    .textFormat('{{severity}}')
    .tagKeys('alertname,severity')
    .step('60s')
    .useValueForTime(false);
