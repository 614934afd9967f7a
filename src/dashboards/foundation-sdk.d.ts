/**
 * The foundation SDK publishes its modules only through package.json `exports` (`@grafana/grafana-foundation-sdk/
 * dashboard`, …), which this repository's `moduleResolution: "node"` does not read. These declarations point the
 * compiler at the same files; at run time Node, tsx and Jest resolve the subpaths through `exports` as usual.
 * Add a line here for each further SDK module a dashboard imports.
 */
declare module '@grafana/grafana-foundation-sdk/barchart' {
  export * from '@grafana/grafana-foundation-sdk/dist/barchart';
}
declare module '@grafana/grafana-foundation-sdk/bargauge' {
  export * from '@grafana/grafana-foundation-sdk/dist/bargauge';
}
declare module '@grafana/grafana-foundation-sdk/cog' {
  export * from '@grafana/grafana-foundation-sdk/dist/cog';
}
declare module '@grafana/grafana-foundation-sdk/common' {
  export * from '@grafana/grafana-foundation-sdk/dist/common';
}
declare module '@grafana/grafana-foundation-sdk/dashboard' {
  export * from '@grafana/grafana-foundation-sdk/dist/dashboard';
}
declare module '@grafana/grafana-foundation-sdk/gauge' {
  export * from '@grafana/grafana-foundation-sdk/dist/gauge';
}
declare module '@grafana/grafana-foundation-sdk/heatmap' {
  export * from '@grafana/grafana-foundation-sdk/dist/heatmap';
}
declare module '@grafana/grafana-foundation-sdk/logs' {
  export * from '@grafana/grafana-foundation-sdk/dist/logs';
}
declare module '@grafana/grafana-foundation-sdk/loki' {
  export * from '@grafana/grafana-foundation-sdk/dist/loki';
}
declare module '@grafana/grafana-foundation-sdk/prometheus' {
  export * from '@grafana/grafana-foundation-sdk/dist/prometheus';
}
declare module '@grafana/grafana-foundation-sdk/stat' {
  export * from '@grafana/grafana-foundation-sdk/dist/stat';
}
declare module '@grafana/grafana-foundation-sdk/statetimeline' {
  export * from '@grafana/grafana-foundation-sdk/dist/statetimeline';
}
declare module '@grafana/grafana-foundation-sdk/table' {
  export * from '@grafana/grafana-foundation-sdk/dist/table';
}
declare module '@grafana/grafana-foundation-sdk/tempo' {
  export * from '@grafana/grafana-foundation-sdk/dist/tempo';
}
declare module '@grafana/grafana-foundation-sdk/timeseries' {
  export * from '@grafana/grafana-foundation-sdk/dist/timeseries';
}
declare module '@grafana/grafana-foundation-sdk/units' {
  export * from '@grafana/grafana-foundation-sdk/dist/units';
}
