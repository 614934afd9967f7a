/**
 * The standard OpenTelemetry environment variables the SDK reads itself (the OTel SDK reads the exporter,
 * sampler and batch ones when tracing or log export starts).
 */

/** Parses `OTEL_RESOURCE_ATTRIBUTES` (`k=v,k2=v2`, values percent-encoded); bad entries are skipped. */
export function resourceAttributesFromEnv(raw = process.env.OTEL_RESOURCE_ATTRIBUTES): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const entry of raw.split(',')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq).trim();
    try {
      out[key] = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      // not valid percent-encoding: skip the entry, as the OTel SDK does
    }
  }
  return out;
}

/** Explicit option, else `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`. */
export function resolveServiceName(explicit?: string): string | undefined {
  return explicit || process.env.OTEL_SERVICE_NAME || resourceAttributesFromEnv()['service.name'] || undefined;
}

/** Explicit option, else `service.version` in `OTEL_RESOURCE_ATTRIBUTES`. */
export function resolveServiceVersion(explicit?: string): string | undefined {
  return explicit || resourceAttributesFromEnv()['service.version'] || undefined;
}

/** True when `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. */
export function tracingDisabledByEnv(): boolean {
  return (
    (process.env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true' ||
    (process.env.OTEL_TRACES_EXPORTER ?? '').trim().toLowerCase() === 'none'
  );
}

/** True when `OTEL_SDK_DISABLED=true` or `OTEL_LOGS_EXPORTER=none`. */
export function logExportDisabledByEnv(): boolean {
  return (
    (process.env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true' ||
    (process.env.OTEL_LOGS_EXPORTER ?? '').trim().toLowerCase() === 'none'
  );
}
