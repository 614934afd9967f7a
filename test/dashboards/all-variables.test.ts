/**
 * A variable that can hold several values or All (Grafana's `allValue` `.+`, or `a|b` for a multi-pick) only
 * matches in a regex matcher: `slo="$slo"` with All selected asks for the literal label value `.+` and every
 * panel stays empty. Every query of every dashboard (built-in and mixin ones) uses `=~`/`!~` for those variables.
 */
import { panelsOf } from '../../src/dashboards/check';
import { resolveSpec, type StackSpec } from '../../src/spec';
import { demoSpec } from '../fixtures/demo-spec';
import { systemsSpecInput } from '../fixtures/systems-spec';
import { dashboards, isObject, spec, type Json } from './support';

const SPECS: readonly [string, StackSpec][] = [
  ['built-in dashboards spec', spec],
  ['demo spec (SLOs)', demoSpec],
  ['systems spec (the system mixins)', resolveSpec(systemsSpecInput((s) => 9000 + s.length))],
];

/** Every string under a value, with where it is. */
function strings(value: unknown, where: string): { where: string; text: string }[] {
  if (typeof value === 'string') return [{ where, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${where}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, `${where}.${k}`));
  return [];
}

/** The names of the variables that may hold more than one value (multi-value or with an All option). */
function allCapable(model: Json): string[] {
  const list = isObject(model.templating) && Array.isArray(model.templating.list) ? (model.templating.list as Json[]) : [];
  return list.filter((v) => v.multi === true || v.includeAll === true).map((v) => String(v.name));
}

/** Where a query matches an All-capable variable with `=` or `!=` (not `=~`/`!~`). */
function exactMatchesOnAllCapable(model: Json): string[] {
  const names = allCapable(model);
  const queries = [
    ...panelsOf(model).flatMap((p) => strings(p.targets, `panel "${String(p.title)}" targets`)),
    ...strings(isObject(model.annotations) ? model.annotations.list : [], 'annotations'),
    ...strings(isObject(model.templating) ? model.templating.list : [], 'variables'),
  ];
  return names.flatMap((name) => {
    const exact = new RegExp(`(?<![=!~])!?=\\s*"(?:\\$${name}|\\$\\{${name}(?::\\w+)?\\}|\\[\\[${name}\\]\\])"`);
    return queries.filter((q) => exact.test(q.text)).map((q) => `$${name} matched exactly at ${q.where}: ${q.text}`);
  });
}

describe.each(SPECS)('dashboards of the %s', (_, s) => {
  const built = dashboards(s);

  it('have All-capable variables to check', () => {
    expect(built.flatMap(({ model }) => allCapable(model)).length).toBeGreaterThan(0);
  });

  it.each(built.map(({ file, model }) => [file, model] as const))('%s matches multi-value and All variables only with =~ or !~', (_f, model) => {
    expect(exactMatchesOnAllCapable(model)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('catches slo="$slo" while $slo can be All, and accepts slo=~"$slo"', () => {
    const model = (expr: string): Json => ({
      templating: { list: [{ name: 'slo', type: 'query', multi: true, includeAll: true, allValue: '.+' }] },
      panels: [{ title: 'budget', targets: [{ expr }] }],
    });
    expect(exactMatchesOnAllCapable(model('x{slo="$slo"}'))).toHaveLength(1);
    expect(exactMatchesOnAllCapable(model('x{slo="${slo}"}'))).toHaveLength(1);
    expect(exactMatchesOnAllCapable(model('x{slo=~"$slo"}'))).toEqual([]);
    expect(exactMatchesOnAllCapable(model('x{service_name="$service_name"}'))).toEqual([]);
  });
});
