import { ETCD_VERSION, KUBERNETES_VERSION, PROMETHEUS_OPERATOR_VERSION, prometheusModuleVersion, THANOS_GO_TOOLCHAIN, TOOL_PINS } from './pins';

/** Prints the exact versions tools/install.sh builds test binaries at, as shell assignments. */
console.log(`COLLECTOR_VERSION=v${TOOL_PINS.otelcol.release}`);
console.log(`PROMETHEUS_MODULE_VERSION=${prometheusModuleVersion(TOOL_PINS.prometheus.release)}`);
console.log(`ALERTMANAGER_VERSION=v${TOOL_PINS.alertmanager.release}`);
console.log(`BLACKBOX_EXPORTER_VERSION=v${TOOL_PINS.blackbox_exporter.release}`);
console.log(`KUBE_SCORE_VERSION=v${TOOL_PINS['kube-score'].release}`);
console.log(`KUBERNETES_VERSION=v${KUBERNETES_VERSION}`);
console.log(`ETCD_VERSION=v${ETCD_VERSION}`);
console.log(`PROMETHEUS_OPERATOR_VERSION=v${PROMETHEUS_OPERATOR_VERSION}`);
console.log(`THANOS_VERSION=v${TOOL_PINS.thanos.release}`);
console.log(`THANOS_GO_TOOLCHAIN=${THANOS_GO_TOOLCHAIN}`);
