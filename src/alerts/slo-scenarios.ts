/**
 * Scenarios for the burn-rate alerts of one SLO: hours of traffic, and how many times the page and the ticket fire
 * (counted from ALERTS by the generated promtool test). They pin down what one evaluation cannot: a low-traffic
 * outage pages within 30 minutes, one unlucky request does not, one incident pages once, and a steady burn pages
 * as soon as the burn-rate maths allows.
 */
import { Rational } from '../promql/decimal';
import { neOp, series } from '../promql/expr';
import { RECORDED, SLO_BASE_WINDOW } from '../promql/recorded';
import { minutes, minutesOf } from './examples';
import { humanizePercentage } from './humanize';
import type { AlertRule, EpisodeCheck, Scenario } from './model';
import type { SloClass, SloModel } from './slo';
import { BURN_RATE_TIERS, burnRateFactor, tierPolicies } from './slo-policy';
import { constant, sparse, traffic, type TrafficStep } from './slo-traffic';

const PAGE = BURN_RATE_TIERS.page.alert;
const TICKET = BURN_RATE_TIERS.ticket.alert;
/** Every alert of the SLO with the page's (ticket's) severity: `severity:critical`. */
const PAGES = `severity:${BURN_RATE_TIERS.page.severity}`;
const TICKETS = `severity:${BURN_RATE_TIERS.ticket.severity}`;

/**
 * How long after an event the long windows count it in full: they average the base window's rates, and an event
 * is in each of the base-window rates recorded over the next base window.
 */
const AVERAGING_LAG = minutesOf(SLO_BASE_WINDOW);

/** Healthy traffic before anything happens: the longest page window, so every page window starts full. */
const HISTORY = 360;
/** Sparse traffic: one request every this many minutes. */
const SPARSE_EVERY = 10;
/** Busy traffic: requests a minute. */
const BUSY = Rational.of(2000);
/** The burn rate of the steady-burn scenario (10× the budget). */
const STEADY_BURN = 10;

interface Story {
  readonly name: string;
  readonly steps: TrafficStep[];
  /**
   * Checks as (alert, minute, episodes), the alert a name or `severity:<s>` for all alerts of that severity; a check
   * on a named alert is kept only when it exists (overrides may disable one).
   */
  readonly checks: readonly [alert: string, minute: number, episodes: number][];
}

/**
 * 1 request every 10 minutes, every one failing for 12 h: the page fires by the third failure (+30 min, counted in
 * full in the long windows AVERAGING_LAG later), once.
 */
function sparseOutage(delay: number): Story {
  const outage = 12 * 60;
  return {
    name: `1 request every ${SPARSE_EVERY} minutes, all failing for 12 h after ${HISTORY / 60} h of success`,
    steps: sparse(HISTORY + outage, SPARSE_EVERY, (s) => s > HISTORY),
    checks: [
      [PAGE, HISTORY + OUTAGE_PAGE_WITHIN + AVERAGING_LAG + delay, 1],
      [PAGE, HISTORY + outage, 1],
    ],
  };
}

/** The page deadline of a sparse outage: the third failed request (OUTAGE_EVIDENCE.minBadEvents) comes at +30 min. */
const OUTAGE_PAGE_WITHIN = 30;

/**
 * 1 request every 10 minutes, one of them failing, 2 h after: neither page nor ticket. (Every window's ratio is far
 * above its threshold, 1 in 6 over 1h: only the guard keeps it quiet, so history before it changes nothing.)
 */
function sparseOneFailure(): Story {
  const before = 60;
  const length = before + 2 * 60;
  return {
    name: `1 request every ${SPARSE_EVERY} minutes, exactly one failing`,
    steps: sparse(length, SPARSE_EVERY, (s) => s === before + SPARSE_EVERY),
    checks: [
      [PAGE, length, 0],
      [TICKET, length, 0],
    ],
  };
}

/**
 * 1 request a minute, half the budget bad: one bad request every 2 / budget (at the end of each such stretch, so
 * no window ever holds more than half the budget's share), and 2 h after it: nothing fires.
 */
function sparseHalfBudget(m: SloModel): Story {
  const every = Math.round(Rational.of(2).div(m.budget).toNumber());
  const length = every + 2 * 60;
  return {
    name: `1 request a minute, one in ${every} bad (half the budget), for ${length} minutes`,
    steps: sparse(length, 1, (s) => s % every === 0),
    checks: [
      [PAGE, length, 0],
      [TICKET, length, 0],
    ],
  };
}

/** A 10-minute spike of 50% bad at 2,000 requests a minute, then 12 h of calm: one page, at most one ticket. */
function spike(): Story {
  const before = 60;
  const after = 12 * 60;
  const calm = (n: number) => constant(n, BUSY, Rational.of(0));
  return {
    name: `10 minutes of 50% bad at ${BUSY} requests a minute, then 12 h of calm`,
    steps: [...calm(before), ...constant(10, BUSY, Rational.of('0.5')), ...calm(after)],
    checks: [
      [PAGE, before + 10 + after, 1],
      [TICKET, before + 10 + after, 1],
      // Whatever the alerts are called: one page, one ticket for the SLO.
      [PAGES, before + 10 + after, 1],
      [TICKETS, before + 10 + after, 1],
    ],
  };
}

/**
 * A steady burn at 10× the budget after 6 h of calm: the page fires once a page window pair's long window crosses its
 * threshold (for a pair with factor f < 10, at f / 10 × long; within AVERAGING_LAG after), not before, and once.
 */
function steadyBurn(m: SloModel, delay: number): Story | undefined {
  const crossings = tierPolicies('page')
    .map((p) => burnRateFactor(p, m.slo.period))
    .map((factor, i) => ({ factor, long: minutesOf(tierPolicies('page')[i]!.long) }))
    .filter(({ factor }) => factor.lt(STEADY_BURN))
    .map(({ factor, long }) => factor.div(STEADY_BURN).times(long).toNumber());
  if (crossings.length === 0) return undefined;
  const crossing = Math.floor(Math.min(...crossings));
  const share = m.budget.times(STEADY_BURN);
  if (share.gt(1)) return undefined;
  const deadline = HISTORY + crossing + 1 + AVERAGING_LAG + delay;
  return {
    name: `${humanizePercentage(share.toNumber())} bad (${STEADY_BURN}× the budget) from minute ${HISTORY}: the burn-rate maths crosses at +${Math.min(...crossings)} min`,
    steps: [...constant(HISTORY, BUSY, Rational.of(0)), ...constant(deadline - HISTORY + 60, BUSY, share)],
    checks: [
      [PAGE, HISTORY + crossing - 1, 0],
      [PAGE, deadline, 1],
      [PAGE, deadline + 60, 1],
    ],
  };
}

/** What a check counts: the page itself, another alert, or every alert of a severity. */
const target = (name: string): Pick<EpisodeCheck, 'alert' | 'severity'> =>
  name === PAGE ? {} : name.startsWith('severity:') ? { severity: name.slice('severity:'.length) } : { alert: name };

/** The step of the first request. */
const firstRequest = (steps: readonly TrafficStep[]) => steps.findIndex((s) => s.requests.gt(0)) + 1;

/** One SLO's scenarios for its class's page (each with that SLO's traffic only, and its labels). */
function sloScenarios(m: SloModel, page: AlertRule, present: ReadonlySet<string>, bySeverity: boolean): Scenario[] {
  const delay = minutesOf(page.for);
  const guarded = m.minRequests > 0;
  const stories = [
    sparseOutage(delay),
    ...(guarded ? [sparseOneFailure(), sparseHalfBudget(m)] : []),
    spike(),
    ...[steadyBurn(m, delay)].filter((s): s is Story => s !== undefined),
  ];
  const budgetLeft = series(RECORDED.sloErrorBudgetRemaining, m.labels);
  return stories.map((story) => ({
    name: `${m.service}/${m.slo.name}: ${story.name}`,
    series: traffic(m, story.steps),
    labels: { ...m.labels },
    // Once a request was seen, the budget left is a number at every evaluation, through every idle stretch.
    never: [{ what: 'budget left is NaN', expr: neOp(budgetLeft, budgetLeft), from: minutes(firstRequest(story.steps)) }],
    checks: story.checks
      .filter(([name]) => (name.startsWith('severity:') ? bySeverity : present.has(name)))
      .map(([name, minute, episodes]): EpisodeCheck => ({ ...target(name), until: minutes(minute), episodes })),
  }));
}

/** A class's alerts, its page carrying the scenarios of every SLO of the class (with checks on the ticket too, when it is not disabled). */
export function withScenarios(cls: SloClass, alerts: readonly AlertRule[]): AlertRule[] {
  const present = new Set(alerts.map((a) => a.alert));
  // Counting by severity needs both tiers, each with its own severity (an override may move or disable one).
  const bySeverity = Object.values(BURN_RATE_TIERS).every((t) => alerts.some((a) => a.alert === t.alert && a.severity === t.severity));
  return alerts.map((alert) => {
    if (alert.alert !== PAGE) return alert;
    const scenarios = cls.members.flatMap((m) => sloScenarios(m, alert, present, bySeverity));
    return { ...alert, examples: { ...alert.examples, scenarios } };
  });
}
