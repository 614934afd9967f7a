/**
 * Assembles a dashboard from rows of panels: fixed uid, the obskit tag (which the folder-wide links use), the
 * shared defaults (time range, refresh, crosshair), and a deterministic layout — panel ids count up from 1 and
 * panels flow left to right in each row, wrapping at 24 columns, at the width and height their row gives them.
 *
 * The foundation SDK's own `withPanel` flow does not wrap a panel that would overflow the line, so positions
 * are computed here and handed to it explicitly.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export const GRID_COLUMNS = 24;
/** Every obskit dashboard carries this tag; the links between them select dashboards by it. */
export const DASHBOARD_TAG = 'obskit';

/** Any of the SDK's panel builders. */
export interface PanelBuilderLike extends cog.Builder<dashboard.Panel> {
  id(id: number): unknown;
  gridPos(gridPos: dashboard.GridPos): unknown;
}

/** A panel and the space it takes. */
export interface Placed {
  readonly panel: PanelBuilderLike;
  /** Columns, out of 24. */
  readonly w: number;
  /** Grid units (30 px each). */
  readonly h: number;
}

/** `panel` at `w` columns by `h` units. */
export function place(panel: PanelBuilderLike, w: number, h: number): Placed {
  if (!Number.isInteger(w) || w < 1 || w > GRID_COLUMNS) throw new Error(`panel width must be 1..${GRID_COLUMNS}, got ${w}`);
  if (!Number.isInteger(h) || h < 1) throw new Error(`panel height must be a positive integer, got ${h}`);
  return { panel, w, h };
}

export interface Row {
  readonly title: string;
  /** Repeat the row (and its panels) once per value of this variable. */
  readonly repeat?: string;
  readonly panels: readonly Placed[];
}

export interface DashboardDefinition {
  /** Also the file name: `dist/dashboards/<file>.json`. */
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags?: readonly string[];
  readonly variables: readonly cog.Builder<dashboard.VariableModel>[];
  readonly annotations?: readonly cog.Builder<dashboard.AnnotationQuery>[];
  readonly rows: readonly Row[];
}

/** The dashboard JSON (classic model) and the file it is written to. */
export interface BuiltDashboard {
  readonly file: string;
  readonly model: dashboard.Dashboard;
}

/** One dropdown of every other obskit dashboard, carrying the variables and the time range. */
export function obskitDashboardsLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('obskit dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true)
    .targetBlank(false);
}

/** The ids a refId takes: A, B, …, Z. */
function refIds(panel: dashboard.Panel): void {
  panel.targets?.forEach((target, i) => {
    const q = target as { refId?: string };
    if (q.refId === undefined) q.refId = String.fromCharCode(65 + i);
  });
}

export function buildDashboard(def: DashboardDefinition): BuiltDashboard {
  const builder = new dashboard.DashboardBuilder(def.title)
    .uid(def.uid)
    .description(def.description)
    .tags([DASHBOARD_TAG, ...(def.tags ?? [])])
    .readonly()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .refresh('30s')
    .variables([...def.variables])
    .annotations([...(def.annotations ?? [])])
    .link(obskitDashboardsLink());

  let nextId = 1;
  let y = 0;
  for (const row of def.rows) {
    const rowBuilder = new dashboard.RowBuilder(row.title).id(nextId++).gridPos({ x: 0, y, w: GRID_COLUMNS, h: 1 });
    if (row.repeat) rowBuilder.repeat(row.repeat);
    builder.withRow(rowBuilder);
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const { panel, w, h } of row.panels) {
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panel.id(nextId++);
      panel.gridPos({ x, y, w, h });
      refIds(panel.build());
      builder.withPanel(panel);
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  const model = builder.build();
  // The SDK puts links and annotation toggles in the controls menu by default; obskit keeps them in the top bar.
  for (const link of model.links ?? []) delete (link as { placement?: unknown }).placement;
  for (const annotation of model.annotations?.list ?? []) delete (annotation as { placement?: unknown }).placement;
  return { file: `${def.file}.json`, model };
}
