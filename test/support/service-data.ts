import { isAlertRule, type RecordingRule, type Rule } from '../../src/alerts/model';

/** One service's value of per-service data a shared alert reads (a threshold, or the service expected). */
export interface ServiceData {
  readonly service: string;
  readonly class: string | undefined;
  readonly value: number;
}

/** `0.05 * group by (service_name) (<series>{service_name=~"a|b"})`: a value and the services that have it. */
const MEMBERS = /([\d.e+-]+) \* group by \(service_name\) \([^{]+\{service_name=~"([^"]+)"\}\)/g;

/**
 * The services and values some recorded data holds, read from the generated rules in either form obskit writes:
 * one `vector(v)` rule per service (labelled with it), or one rule per class listing its services by value.
 */
export function serviceData(rules: readonly Rule[], record: string): ServiceData[] {
  return rules
    .filter((r): r is RecordingRule => !isAlertRule(r) && r.record === record)
    .flatMap((r) => {
      const cls = r.labels?.class;
      const own = r.labels?.service_name;
      if (own !== undefined) return [{ service: own, class: cls, value: Number(/^vector\((.+)\)$/.exec(r.expr)?.[1]) }];
      return [...r.expr.matchAll(MEMBERS)].flatMap(([, value, names]) =>
        names!.split('|').map((name) => ({ service: name.replace(/\\(.)/g, '$1'), class: cls, value: Number(value) })),
      );
    });
}
