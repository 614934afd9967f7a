import { versions } from '../src/spec/versions';

/** Prints the pinned versions tools/install.sh builds test binaries at, as shell assignments. */
const prometheusModule = versions.prometheus.tag.replace(/^v3\.(\d+)\.(\d+)$/, (_m, minor: string, patch: string) =>
  `v0.3${minor.padStart(2, '0')}.${patch}`,
);
console.log(`COLLECTOR_VERSION=${versions.collector.tag}`);
console.log(`PROMETHEUS_MODULE_VERSION=${prometheusModule}`);
console.log(`ALERTMANAGER_VERSION=${versions.alertmanager.tag}`);
console.log(`LOKI_VERSION=${versions.loki.tag}`);
