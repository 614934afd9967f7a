// Validates Prometheus Operator resources against the CRD schemas compiled into @kubernetes-models/prometheus-operator.
// That package is ESM only, which jest's CommonJS runtime cannot load, so the tests run this file with node:
// a JSON array of objects on stdin, a JSON array of { kind, name, error } on stdout (error null when valid).
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

const MODELS = { Alertmanager, Prometheus, PrometheusRule, ServiceMonitor };

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((object) => {
  const Model = MODELS[object.kind];
  const result = { kind: object.kind, name: object.metadata?.name ?? null, error: null };
  if (!Model) return { ...result, error: `no model for kind ${object.kind}` };
  try {
    new Model(object).validate();
  } catch (error) {
    result.error = String(error?.message ?? error);
  }
  return result;
});
process.stdout.write(JSON.stringify(results));
