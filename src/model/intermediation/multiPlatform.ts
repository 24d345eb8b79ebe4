/**
 * Galperti–Perego many-platform economy (GP §2-§5; MODEL.md A.6), one merchant (seller) per platform.
 * Platform i: fee grid A_i, payoff u_i(a, ω) = γ_u,i·max(ω − a, 0) + γ_π,i·a·1[ω ≥ a]; buyer payoff from a
 * record used by i: g_i(a, ω) = β_i(ω)·max(ω − a, 0) (β = `buyerWeights`, 1 by default); a kept record is
 * worth r_ω to its owner.
 *   E1 (third best): the grand LP P (GP (5)): max Σ_i Σ u_i X_i s.t. Σ_i Σ_a X_i(a, ω) ≤ q̄(ω), obedience
 *      per platform; p* = duals of the record rows (with exact intervals).
 *   E3 (first best): FB with an explicit keep variable q_0(ω): max Σ (u_i + g_i) X_i + Σ r_ω q_0(ω)
 *      s.t. q_0(ω) + Σ_i Σ_a X_i(a, ω) = q̄(ω); p**(ω) = the row dual, Lindahl prices p_i**(a, ω) = −g_i(a, ω).
 * A platform with several merchants (`merchants`, GP's K_i) enters through its design LP (platformDesign.ts):
 * its actions are fee profiles a_i ∈ ∏_k A^k, obedience is seller by seller, g_i = β_i(ω)·(buyer surplus of
 * the profile); everything else is unchanged.
 */
import type { LinearProgram, LpRow, LpSolver } from '../../lp/index.js';
import type { MultiMerchantGame } from './multiMerchant.js';
import type { PricingGame } from './payoffs.js';
import { multiMerchantDesign, pricingDesign, type PlatformDesign } from './platformDesign.js';
import { supergradientIntervals, type PriceInterval } from './supergradient.js';
import { lexicographicSolve } from './lexicographic.js';

export interface PlatformSpec {
  /** The one-merchant pricing game (ignored for the actions when `merchants` is set). */
  game: PricingGame;
  /** β_i(ω), per type. */
  buyerWeights: number[];
  /** Several merchants on this platform (GP's K_i): replaces the one-merchant fee grid of `game`. */
  merchants?: MultiMerchantGame;
}

/** P_i of one platform as a design (platformDesign.ts). */
export function designOf(p: PlatformSpec): PlatformDesign {
  return p.merchants ? multiMerchantDesign(p.merchants, p.buyerWeights) : pricingDesign(p.game, p.buyerWeights);
}

export interface MultiPlatformMarket {
  types: number[];
  qBar: number[];
  /** r_ω per type. */
  keepValue: number[];
  platforms: PlatformSpec[];
}

interface Layout {
  offsets: number[];
  nX: number;
}

function layout(designs: PlatformDesign[]): Layout {
  const offsets: number[] = [];
  let n = 0;
  for (const d of designs) {
    offsets.push(n);
    n += d.u.length;
  }
  return { offsets, nX: n };
}

const shift = (r: LpRow, o: number): LpRow => ({ ...r, indices: r.indices.map((j) => j + o) });

/** Rows 0..N−1 are the record rows; then every platform's obedience rows. */
function grandLp(m: MultiPlatformMarket, designs: PlatformDesign[], withBuyers: boolean): LinearProgram {
  const N = m.types.length;
  const { offsets, nX } = layout(designs);
  const nCols = nX + (withBuyers ? N : 0);
  const cost = new Array<number>(nCols).fill(0);
  designs.forEach((d, i) => d.u.forEach((c, j) => (cost[offsets[i] + j] = c + (withBuyers ? d.g[j] : 0))));
  const rows: LpRow[] = m.types.map((_, w) => {
    const indices: number[] = [];
    designs.forEach((d, i) => d.actions.forEach((__, a) => indices.push(offsets[i] + a * N + w)));
    if (withBuyers) indices.push(nX + w);
    return withBuyers
      ? { indices, values: indices.map(() => 1), lower: m.qBar[w], upper: m.qBar[w] }
      : { indices, values: indices.map(() => 1), lower: -Infinity, upper: m.qBar[w] };
  });
  if (withBuyers) m.keepValue.forEach((r, w) => (cost[nX + w] = r));
  designs.forEach((d, i) => rows.push(...d.obedience.map((r) => shift(r, offsets[i]))));
  return { sense: 'max', cost, colLower: new Array<number>(nCols).fill(0), colUpper: new Array<number>(nCols).fill(Infinity), rows };
}

export interface PlatformAllocation {
  /** Action labels of the rows of X (fees, or fee profiles with several merchants). */
  actions: Array<number | number[]>;
  /** q_i(ω) = Σ_a X_i(a, ω). */
  records: number[];
  /** X_i(a, ω), indexed [a][ω]. */
  X: number[][];
  /** Σ u_i X_i. */
  platformValue: number;
  /** Σ g_i X_i. */
  buyerSurplus: number;
}

export interface MultiPlatformOutcome {
  /** LP value (E1: Σ_i U_i; E3: FB including Σ r q_0). */
  value: number;
  /** Record prices: LP row duals. */
  prices: number[];
  /** Exact supergradient intervals of the LP value in q̄. */
  priceIntervals: PriceInterval[];
  platforms: PlatformAllocation[];
  /** q_0(ω), records kept by buyers. */
  kept: number[];
  /** W = Σ_i U_i + Σ buyers' surplus + Σ r_ω q_0(ω). */
  welfare: number;
}

function allocations(m: MultiPlatformMarket, designs: PlatformDesign[], x: ArrayLike<number>): PlatformAllocation[] {
  const N = m.types.length;
  const { offsets } = layout(designs);
  return designs.map((d, i) => {
    const X = d.actions.map((_, a) => m.types.map((__, w) => Math.max(0, x[offsets[i] + a * N + w])));
    let pv = 0;
    let bs = 0;
    d.actions.forEach((_, ai) =>
      m.types.forEach((__, wi) => {
        pv += X[ai][wi] * d.u[ai * N + wi];
        bs += X[ai][wi] * d.g[ai * N + wi];
      }),
    );
    return { actions: d.actions, records: m.types.map((_, w) => X.reduce((s, row) => s + row[w], 0)), X, platformValue: pv, buyerSurplus: bs };
  });
}

/** Records kept by their owners, q_0 = q̄ − Σ_i used (≥ 0), and W = Σ_i (U_i + buyers' surplus) + Σ_ω r_ω q_0(ω). */
function keptAndWelfare(m: MultiPlatformMarket, platforms: readonly PlatformAllocation[]): { kept: number[]; welfare: number } {
  const kept = m.types.map((_, w) => Math.max(0, m.qBar[w] - platforms.reduce((s, p) => s + p.records[w], 0)));
  const welfare = platforms.reduce((s, p) => s + p.platformValue + p.buyerSurplus, 0) + kept.reduce((s, k, w) => s + k * m.keepValue[w], 0);
  return { kept, welfare };
}

function outcome(solver: LpSolver, m: MultiPlatformMarket, designs: PlatformDesign[], lp: LinearProgram, secondStage: boolean): MultiPlatformOutcome {
  const N = m.types.length;
  const first = solver.solve(lp, { duals: solver.providesDuals });
  let x = first.x;
  if (secondStage) {
    // among the platforms' optimal uses, the one best for buyers (MODEL.md A.8 item 7), on the platforms' optimal
    // face itself (lexicographic.ts): with a row "value ≥ optimum − 1e-9" the buyer stage bought surplus with that
    // sliver at any exchange rate — buyer weights 1e6 turned W = 1.7 into 1.7017 (review). Buyers' side as in
    // `welfare`: Σ g X + Σ r_ω q_0(ω), q_0 = q̄ − Σ X, so each record used costs them r_ω — else records worth 0 to
    // every platform (p*(ω) = 0) were kept or used as the solver's vertex fell (γ = (0, 0), r = (2, 0):
    // W = 0.3 with the lows used at g = 0, 0.6 with them kept; equilibrium.test.ts)
    const { offsets } = layout(designs);
    const N = m.types.length;
    const g = new Array<number>(lp.cost.length).fill(0);
    designs.forEach((d, i) => d.g.forEach((c, j) => (g[offsets[i] + j] = c - m.keepValue[j % N])));
    x = lexicographicSolve(solver, lp, [lp.cost, g])[1].x;
  }
  const platforms = allocations(m, designs, x);
  const { kept, welfare } = keptAndWelfare(m, platforms);
  return {
    value: first.objective,
    prices: Array.from((first.rowDual ?? new Float64Array(N)).subarray(0, N)),
    priceIntervals: solver.providesDuals ? supergradientIntervals(solver, lp, first.x, m.types.map((_, w) => w)) : [],
    platforms,
    kept,
    welfare,
  };
}

/**
 * The least max_ω |Σ_i q_i(ω) − totals(ω)| over E1's allocations: every optimal solution of P, which need not be
 * unique (a type with p*(ω) = 0 can be used in any amount that keeps P's value), found on P's optimal face
 * (lexicographic.ts) with one more column, the distance t, and rows |Σ_i Σ_a X_i(a, ω) − totals(ω)| ≤ t.
 */
export function e1TotalsDistance(solver: LpSolver, m: MultiPlatformMarket, totals: readonly number[]): number {
  const lp = grandLp(m, m.platforms.map(designOf), false);
  const n = lp.cost.length;
  // the record rows are P's first N rows
  const near = lp.rows.slice(0, m.types.length).flatMap((r, w): LpRow[] => [
    { indices: [...r.indices, n], values: [...r.values, -1], lower: -Infinity, upper: totals[w] },
    { indices: [...r.indices, n], values: [...r.values, 1], lower: totals[w], upper: Infinity },
  ]);
  const ext: LinearProgram = { sense: 'max', cost: [...lp.cost, 0], colLower: [...lp.colLower, 0], colUpper: [...lp.colUpper, Infinity], rows: [...lp.rows, ...near] };
  const closest = new Array<number>(n + 1).fill(0);
  closest[n] = -1;
  return lexicographicSolve(solver, ext, [ext.cost, closest])[1].x[n];
}

/** E1: buyers expropriated, platforms trade records at p* = duals of P (GP Prop. 1, Cor. 1). */
export function solveE1(solver: LpSolver, m: MultiPlatformMarket): MultiPlatformOutcome {
  const designs = m.platforms.map(designOf);
  return outcome(solver, m, designs, grandLp(m, designs, false), true);
}

/**
 * The outcome of given records q_i per platform under E1's selection (the state a several-platform run ends in).
 * Records that sum above supply (a run's average demands: early rounds demand up to 2q̄) are first rationed, each
 * type's in proportion, q_i(ω)·min(1, q̄(ω)/Σ_j q_j(ω)): W of records that do not exist exceeded the first best
 * (review: 1.51 on GP's example, FB 1.2). Then each platform uses its own records as in E1 — platform-optimal,
 * then best for buyers, records it leaves unused kept (`solveE1` of its one-platform market with q̄ = q_i) — and W
 * is E1's, Σ_i (U_i + buyers' surplus) + Σ_ω r_ω q_0(ω), q_0 = q̄ − Σ_i used.
 */
export function allocationAt(solver: LpSolver, m: MultiPlatformMarket, records: readonly (readonly number[])[]): { platforms: PlatformAllocation[]; kept: number[]; welfare: number } {
  const held = m.types.map((_, w) => records.reduce((s, r) => s + r[w], 0));
  const share = m.types.map((_, w) => (held[w] > m.qBar[w] ? m.qBar[w] / held[w] : 1));
  const platforms = m.platforms.map((p, i) => solveE1(solver, { ...m, platforms: [p], qBar: records[i].map((x, w) => x * share[w]) }).platforms[0]);
  return { platforms, ...keptAndWelfare(m, platforms) };
}

/** E3: Lindahl markets for data use, first best (GP Prop. 3). Lindahl prices p_i(a, ω) = −g_i(a, ω). */
export function solveE3(solver: LpSolver, m: MultiPlatformMarket): MultiPlatformOutcome & { usePrices: number[][][] } {
  const designs = m.platforms.map(designOf);
  const o = outcome(solver, m, designs, grandLp(m, designs, true), false);
  const N = m.types.length;
  const usePrices = designs.map((d) => d.actions.map((_, a) => m.types.map((__, w) => -d.g[a * N + w])));
  return { ...o, usePrices };
}
