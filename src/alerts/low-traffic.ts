import { and, ge, or, type Expr, type Matching } from '../promql/expr';

/**
 * The low-traffic guard of the SLO burn-rate alerts and of ServiceErrorRatioHigh, and its way out for outages.
 *
 * A ratio of a handful of requests is noise: one failure among six requests is 17% errors. So an alert needs enough
 * requests in its window — or, failing that, an outage no sampling noise explains: at least `minBadEvents` bad
 * events in the (long) window AND at least `badShare` of the events bad right now (the short window). One unlucky
 * request never pages; a service failing most of its few requests pages once `minBadEvents` of them have failed,
 * whatever its traffic.
 */
export interface OutageEvidence {
  readonly minBadEvents: number;
  readonly badShare: number;
}

export const OUTAGE_EVIDENCE: OutageEvidence = { minBadEvents: 3, badShare: 0.5 };

export interface GuardInput {
  /** Requests in the window (or their rate), and the least that makes its ratio trustworthy (0 turns the guard off). */
  readonly requests: Expr;
  readonly minRequests: number;
  /** Bad events in the window (a rate times the window: Prometheus extrapolates it, so it is rarely an integer). */
  readonly badEvents: Expr;
  /** The share of bad events right now. */
  readonly badShare: Expr;
  /** Vector matching between the three, when their label sets differ. */
  readonly on?: Matching;
}

/**
 * `requests >= minRequests or (badEvents >= minBadEvents - ½ and badShare >= share)`. The half event absorbs
 * Prometheus's extrapolation of a counter to the window's edges (3 failures may read 2.98 or 3.02; 2 never reach
 * 2.5), so the rule counts whole events.
 */
export function lowTrafficGuard(g: GuardInput, evidence: OutageEvidence = OUTAGE_EVIDENCE): Expr {
  const enough = ge(g.requests, g.minRequests);
  if (g.minRequests <= 0) return enough;
  const outage = and(ge(g.badEvents, evidence.minBadEvents - 0.5), ge(g.badShare, evidence.badShare), g.on);
  return or(enough, outage, g.on);
}
