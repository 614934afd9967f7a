/**
 * Datasource references. Prometheus goes through the `datasource` template variable (default: the provisioned uid
 * `prometheus`), so a second Prometheus can be picked without editing; Loki and Tempo are fixed refs to the
 * provisioned uids, whose derived fields and trace links (src/config/grafana.ts) tie logs, traces and metrics.
 */
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE_UIDS } from '../config/grafana';

export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
export const LOKI: DataSourceRef = { type: 'loki', uid: DATASOURCE_UIDS.loki };
export const TEMPO: DataSourceRef = { type: 'tempo', uid: DATASOURCE_UIDS.tempo };
