/**
 * Equilibria, efficiency, remedies and GP examples against hand derivations (MODEL.md A.4.3, A.9, A.6):
 * GLP two-type example (γ_π = 0, Ω = A = {1,2}, q̄ = (0.3, 0.7)):
 *   no trade exists iff r̄ ≥ γ_u/2; (q̄1, min(q̄2, q̄1/r̄)) with p = (γ_u, 0) iff r̄ ≤ γ_u, r̄ < 1;
 *   pooling (q̄1, q̄1) with p = (γ_u − (r̄ − 1), r̄ − 1) iff 1 ≤ r̄ ≤ (1+γ_u)/2;  Wo = max(0, (1+γ_u−2r̄) q̄1).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { highsSolver } from '../../src/lp/index.js';
import {
  checkCandidate,
  completeMarkets,
  constrainedOutcome,
  dataTax,
  dataUnion,
  findEquilibria,
  nearestSupport,
  plannerOptimum,
  solveE1,
  solveE3,
  welfareW,
} from '../../src/model/intermediation/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const glp = (gu: number) => ({ types: [1, 2], fees: [1, 2], gammaU: gu, gammaPi: 0 });
const qBar = [0.3, 0.7];

describe('GLP two-type example: all equilibria', () => {
  for (const [gu, rbar] of [[0.6, 0.7], [0.6, 0.5], [2, 1.2], [0.6, 0.2], [1.6, 1.1]]) {
    it(`γ_u = ${gu}, r̄ = ${rbar}`, async () => {
      const h = await highsSolver();
      const { equilibria } = findEquilibria(h, glp(gu), qBar, rbar);
      const expected: Array<{ q: number[]; p?: number[] }> = [];
      if (rbar >= gu / 2) expected.push({ q: [0, 0] });
      if (rbar <= gu && rbar < 1) expected.push({ q: [0.3, Math.min(0.7, 0.3 / rbar)], p: [gu, 0] });
      if (rbar >= 1 && rbar <= (1 + gu) / 2) expected.push({ q: [0.3, 0.3], p: [gu - (rbar - 1), rbar - 1] });
      expect(equilibria.length).toBe(expected.length);
      for (const ex of expected) {
        const hit = equilibria.find((e) => e.records.every((x, k) => Math.abs(x - ex.q[k]) < 1e-9));
        expect(hit, JSON.stringify(ex)).toBeDefined();
        if (ex.p && hit) ex.p.forEach((p, k) => expect(hit.prices[k]).toBeCloseTo(p, 9));
        if (hit && ex.q[0] === 0 && ex.q[1] === 0) {
          // no-trade support: p(1) + p(2) ≥ γ_u and p ≤ r̄
          expect(hit.prices[0] + hit.prices[1]).toBeGreaterThanOrEqual(gu - 1e-9);
          expect(Math.max(...hit.prices)).toBeLessThanOrEqual(rbar + 1e-9);
        }
      }
      const Wo = Math.max(0, (1 + gu - 2 * rbar) * 0.3);
      expect(plannerOptimum(h, glp(gu), qBar, rbar).welfare).toBeCloseTo(Wo, 12);
      // welfare of each equilibrium = V + Σ q (U − r̄), derived: W(q) = (1+γ_u) min(q1,q2) − r̄ Σq
      for (const e of equilibria) expect(e.welfare).toBeCloseTo((1 + gu) * Math.min(...e.records) - rbar * (e.records[0] + e.records[1]), 9);
    });
  }
});

describe('remedies and efficiency on the example (γ_u = 0.6, r̄ = 0.7)', () => {
  it('union, tax and complete markets reach Wo = 0.06; tax revenue = Wo; union budget = V(q°)', async () => {
    const h = await highsSolver();
    const game = glp(0.6);
    const pl = plannerOptimum(h, game, qBar, 0.7);
    expect(pl.records.map((x) => +x.toFixed(12))).toEqual([0.3, 0.3]);
    const o = constrainedOutcome(h, game, pl, 0.7);
    const u = dataUnion(o, qBar, 0.7, pl.welfare);
    expect(u.budget).toBeCloseTo(0.6 * 0.3, 12); // V(q°) = γ_u min(q1, q2)
    expect(u.payments.reduce((s, p, w) => s + p * qBar[w], 0)).toBeCloseTo(u.budget, 12);
    const t = dataTax(h, game, o, 0.7);
    expect(t.revenue).toBeCloseTo(0.06, 12);
    t.taxes.forEach((tau, w) => expect(t.prices[w] + o.surplus[w] - tau).toBeCloseTo(0.7, 12)); // G − τ = r̄
    expect(completeMarkets(h, game, qBar, 0.7).welfare).toBeCloseTo(0.06, 12);
  });
});

describe('the tax price ranges at q° (remedies.tax.priceIntervals)', () => {
  it('at the kink q° = (0.3, 0.3): each p*(ω) ∈ [0, 0.6], the reported p* inside with p*·q° = V(q°) = 0.18', async () => {
    // derived: γ_π = 0 so V = γ_u (TS − max(q1 + q2, 2 q2)); at q1 = q2 the one-sided derivatives are 0 (up) and
    // γ_u = 0.6 (down) for each type, and p·q° = V(q°) = 0.6·0.3 makes p1 + p2 = 0.6 along ∂V
    const s = validateScenario({ name: 't', model: 'intermediation', types: [1, 2], mass: qBar, weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.7 });
    const tax = ((await solveIntermediation(s as IntermediationScenario)).remedies as { tax: { prices: number[]; records: number[]; priceIntervals: { lower: number; upper: number }[] } }).tax;
    tax.priceIntervals.forEach((iv) => {
      expect(iv.lower).toBeCloseTo(0, 12);
      expect(iv.upper).toBeCloseTo(0.6, 12);
    });
    tax.prices.forEach((p, w) => expect(p).toBeGreaterThanOrEqual(tax.priceIntervals[w].lower - 1e-12));
    tax.prices.forEach((p, w) => expect(p).toBeLessThanOrEqual(tax.priceIntervals[w].upper + 1e-12));
    expect(tax.prices[0] * 0.3 + tax.prices[1] * 0.3).toBeCloseTo(0.18, 12);
  });
  it('at no trade: lower ends V(e_ω) = γ_π·ω (a segment of one type pays its own fee), no upper end', async () => {
    const s = validateScenario({ name: 't', model: 'intermediation', types: [1, 2, 3], mass: [1.08, 0.428, 1.088], weights: { consumer: 0.766, merchant: 0.204 }, reservationUtility: 2.934, remedy: 'tax' });
    const tax = ((await solveIntermediation(s as IntermediationScenario)).remedies as { tax: { records: number[]; priceIntervals: { lower: number; upper: number | null }[] } }).tax;
    expect(tax.records).toEqual([0, 0, 0]);
    tax.priceIntervals.forEach((iv, w) => {
      expect(iv.lower).toBeCloseTo(0.204 * (w + 1), 12);
      expect(iv.upper).toBeNull();
    });
  });
});

describe('GLP proposition as a property on random markets', () => {
  it('γ_u < γ_π: full disclosure, every equilibrium is constrained efficient', async () => {
    const h = await highsSolver();
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 3 }),
      mass: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      gu: fc.double({ min: 0, max: 1, noNaN: true }),
      extra: fc.double({ min: 0.05, max: 1, noNaN: true }),
      rbar: fc.double({ min: 0, max: 4, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ n, mass, gu, extra, rbar }) => {
        const types = [1, 2, 3].slice(0, n);
        const game = { types, fees: types, gammaU: gu, gammaPi: gu + extra };
        const q = mass.slice(0, n);
        const Wo = q.reduce((s, m, k) => s + Math.max(0, game.gammaPi * types[k] - rbar) * m, 0); // derived: W linear
        expect(plannerOptimum(h, game, q, rbar).welfare).toBeCloseTo(Wo, 9);
        const { equilibria } = findEquilibria(h, game, q, rbar, { maxCornerTypes: 3, maxInteriorTypes: 0, gridPoints: 8 });
        expect(equilibria.length).toBeGreaterThan(0);
        for (const e of equilibria) expect(e.welfare).toBeCloseTo(Wo, 8);
      }),
      { numRuns: 25, seed: 3 },
    );
  });

  it('γ_u > γ_π: the lexicographic W(q) equals the closed form (1+γ_u)TS − (1+γ_u−γ_π)πM', async () => {
    const h = await highsSolver();
    const arb = fc.record({
      mass: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      gp: fc.double({ min: 0, max: 1, noNaN: true }),
      extra: fc.double({ min: 0.01, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ mass, gp, extra }) => {
        const types = [1, 2, 3];
        const game = { types, fees: types, gammaU: gp + extra, gammaPi: gp };
        const TS = mass.reduce((s, m, k) => s + m * types[k], 0);
        const piM = Math.max(...types.map((a) => a * mass.reduce((s, m, k) => s + (types[k] >= a ? m : 0), 0)));
        expect(welfareW(h, game, mass).W).toBeCloseTo((1 + game.gammaU) * TS - (1 + game.gammaU - gp) * piM, 8);
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('γ_u ≥ γ_π: an r̄ with every equilibrium inefficient exists (the example family, r̄ ∈ (γ_u, (1+γ_u)/2))', async () => {
    const h = await highsSolver();
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.double({ min: 0.2, max: 0.45, noNaN: true }), (gu, lowShare) => {
        const qb = [lowShare, 1 - lowShare];
        const rbar = gu + (1 - gu) / 4; // inside (γ_u, (1+γ_u)/2) since γ_u < 1
        const { equilibria } = findEquilibria(h, glp(gu), qb, rbar, { maxCornerTypes: 2, maxInteriorTypes: 2, gridPoints: 16 });
        const Wo = (1 + gu - 2 * rbar) * lowShare;
        expect(Wo).toBeGreaterThan(0);
        expect(equilibria.length).toBeGreaterThan(0);
        for (const e of equilibria) expect(e.welfare).toBeLessThan(Wo - 1e-9);
      }),
      { numRuns: 8, seed: 9 },
    );
  });
});

describe('Galperti–Perego worked example (q̄ = (0.3, 0.7), α = 3, β = 2)', () => {
  const market = {
    types: [1, 2],
    qBar,
    keepValue: [2, 0],
    platforms: [{ game: { types: [1, 2], fees: [1, 2], gammaU: 1, gammaPi: 0 }, buyerWeights: [1, 3] }],
  };
  it('E1: p* = (1, 0), W = (1 + α) q̄(1) = 1.2', async () => {
    const h = await highsSolver();
    const e1 = solveE1(h, market);
    expect(e1.priceIntervals[0].lower).toBeCloseTo(1, 12);
    expect(e1.priceIntervals[0].upper).toBeCloseTo(1, 12);
    expect(e1.priceIntervals[1].lower).toBeCloseTo(0, 12);
    expect(e1.priceIntervals[1].upper).toBeCloseTo(0, 12);
    expect(e1.welfare).toBeCloseTo(1.2, 12);
  });
  it('E1 with a profit platform (sims/gp-two-platforms-privacy): full disclosure is its only optimal use, so W = 1.7 and buyers get 0 whatever their weights (review: the buyer stage bought 0.0017 with a 1e-9 slack at weights 1e6)', async () => {
    // profit platform (γ = (0, 1)) on types (1, 2), q̄ = (0.3, 0.7): perfect discrimination earns Σ ω q̄(ω) = 1.7, and
    // any pooling loses profit; the surplus platform (γ = (1, 0)) values records at 0 beyond that (E1 ignores H)
    const h = await highsSolver();
    for (const beta of [[1, 3], [1, 1e6]]) {
      const e1 = solveE1(h, {
        types: [1, 2],
        qBar,
        keepValue: [2, 0],
        platforms: [
          { game: { types: [1, 2], fees: [1, 2], gammaU: 1, gammaPi: 0 }, buyerWeights: beta },
          { game: { types: [1, 2], fees: [1, 2], gammaU: 0, gammaPi: 1 }, buyerWeights: beta },
        ],
      });
      expect(e1.value).toBeCloseTo(1.7, 12);
      expect(e1.welfare).toBeCloseTo(1.7, 12);
      expect(e1.platforms[1].buyerSurplus).toBeCloseTo(0, 12);
      expect(e1.platforms[1].platformValue).toBeCloseTo(1.7, 12);
    }
  });
  it('E1 when the platforms are indifferent (γ = (0, 0)): among the optimal uses the buyers\' best counts the privacy value of records left unused', async () => {
    // u ≡ 0, so every use is optimal and p* = 0. Pooling L lows with H highs at fee 1 is obedient iff L ≥ H (revenue
    // L + H ≥ 2H) and gives each high β(2)·(2 − 1) = 1, each used low costs its owner r(1). With r = (0.5, 0) pooling
    // 0.3 lows with 0.3 highs is best: W = 0.3·1 = 0.3 (keeping them: 0.15); with r = (2, 0) keeping them is:
    // W = 2·0.3 = 0.6, where the buyer stage without r pooled them (W = 0.3, records used at g = 0 for the lows)
    const h = await highsSolver();
    for (const [r, W, kept] of [[0.5, 0.3, 0], [2, 0.6, 0.3]]) {
      const e1 = solveE1(h, { types: [1, 2], qBar, keepValue: [r, 0], platforms: [{ game: { types: [1, 2], fees: [1, 2], gammaU: 0, gammaPi: 0 }, buyerWeights: [1, 1] }] });
      expect(e1.value).toBeCloseTo(0, 12);
      expect(e1.prices.map(Math.abs)).toEqual([0, 0]);
      expect(e1.welfare, `r = ${r}`).toBeCloseTo(W, 12);
      expect(e1.kept[0]).toBeCloseTo(kept, 12);
    }
  });
  it('E3: FB = 1.2, p** = (1 + α, 0) = (4, 0), p_1**(1, 2) = −α', async () => {
    const h = await highsSolver();
    const e3 = solveE3(h, market);
    expect(e3.value).toBeCloseTo(1.2, 12);
    expect(e3.prices[0]).toBeCloseTo(4, 9);
    expect(e3.prices[1]).toBeCloseTo(0, 9);
    expect(e3.usePrices[0][0][1]).toBe(-3);
  });
});

describe('solveIntermediation (DESIGN.md §4 shape)', () => {
  it('returns the contract fields for the unraveling example', async () => {
    const s = validateScenario({ name: 'x', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.7 }) as IntermediationScenario;
    const r = JSON.parse(JSON.stringify(await solveIntermediation(s)));
    expect(r.model).toBe('intermediation');
    expect(r.platformValue).toBeCloseTo(0.18, 12);
    expect(r.recordPrices).toHaveLength(2);
    expect(r.equilibrium.outcome).toBe('no-trade');
    expect(r.equilibrium.segmentation).toHaveLength(2);
    expect(r.constrainedEfficient.welfare).toBeCloseTo(0.06, 12);
    expect(r.efficiency.efficient).toBe(false);
    expect(JSON.parse(JSON.stringify(r)).recordPrices[0].lower).toBeCloseTo(0.6, 12);
  });
  it('rejects a bad platforms entry with a field path', () => {
    expect(() =>
      validateScenario({ name: 'x', model: 'intermediation', types: [1, 2], mass: [0.3, 0.7], weights: { consumer: 1, merchant: 0 }, platforms: [{ weights: { consumer: 1, merchant: 0 }, buyerWeights: [1] }] }),
    ).toThrow(/platforms\.0\.buyerWeights/);
  });
});

describe('nearestSupport: the equilibrium prices at q nearest a target (used by simulate)', () => {
  it('GLP two types, q = q̄ = (0.3, 0.3), γ_u = 1.6, r̄ = 0.5: p = (1.6 − c, c) with c ∈ [0, 1.1], by hand', async () => {
    // ∂V(q) = conv{(0, γ_u), (γ_u, 0)} at q1 = q2 (V = γ_u·min(q1, q2)); the consumer-best optimum gives type 2 all
    // of TS − πM = 0.3, so U = (0, 1): G1 = 1.6 − c ≥ 0.5 ⇔ c ≤ 1.1, G2 = c + 1 ≥ 0.5 always
    const h = await highsSolver();
    const at = (target: number[]) => nearestSupport(h, glp(1.6), [0.3, 0.3], 0.5, ['full', 'full'], 0.3, target);
    const inside = at([1.3, 0.3]);
    expect(inside?.distance).toBeCloseTo(0, 9);
    inside?.equilibrium.prices.forEach((p, k) => expect(p).toBeCloseTo([1.3, 0.3][k], 9));
    // max(|0.6 − c|, |c − 0.3|) is least at c = 0.45
    expect(at([1.0, 0.3])?.distance).toBeCloseTo(0.15, 9);
    // the consumer condition binds: c = 1.1 (0.5 away), where the supergradient alone would allow c = 1.5 (0.1 away)
    const bound = at([0.2, 1.6]);
    expect(bound?.distance).toBeCloseTo(0.5, 9);
    bound?.equilibrium.prices.forEach((p, k) => expect(p).toBeCloseTo([0.5, 1.1][k], 9));
    expect(bound?.equilibrium.surplus[1]).toBeCloseTo(1, 9);
  });

  it('GLP two types, γ_u = 0.6, r̄ = 0.5, q̄ = (0.3, 0.7): (q̄1, q̄1/r̄) is the only equilibrium with type 2 indifferent', async () => {
    const h = await highsSolver();
    const at = (q2: number, target: number[]) => nearestSupport(h, glp(0.6), [0.3, q2], 0.5, ['full', 'interior'], 0.7, target);
    // p* = (γ_u, 0) is the only supergradient there (argmax of the uniform profit is the fee 2 alone)
    expect(at(0.6, [0.6, 0.25])?.distance).toBeCloseTo(0.25, 9);
    expect(at(0.6, [0.6, 0])?.distance).toBeCloseTo(0, 9);
    expect(at(0.65, [0.6, 0])).toBeNull();
    expect(at(0.55, [0.6, 0])).toBeNull();
  });

  it('γ_u = γ_π = 1, q = q̄ = (0.3, 0.3), r̄ = 0.5: the consumer-best segmentation among the nearest supports, by hand', async () => {
    // v(a, ω) = ω whenever ω ≥ a, so V = TS = 0.9 at any q (p = (1, 2), the only supergradient) and every obedient X in
    // which everyone buys is platform-optimal; consumer surplus ranges from 0 to TS − πM = 0.3, reached by charging
    // everyone 1 (U = (0, 1)): W = V + Σ q(U − r̄) = 0.9 + 0.3 − 0.3 = 0.9
    const h = await highsSolver();
    const r = nearestSupport(h, { types: [1, 2], fees: [1, 2], gammaU: 1, gammaPi: 1 }, [0.3, 0.3], 0.5, ['full', 'full'], 0.3, [1.2, 2]);
    expect(r?.distance).toBeCloseTo(0.2, 9);
    r?.equilibrium.prices.forEach((p, k) => expect(p).toBeCloseTo([1, 2][k], 9));
    r?.equilibrium.surplus.forEach((u, k) => expect(u).toBeCloseTo([0, 1][k], 9));
    expect(r?.equilibrium.welfare).toBeCloseTo(0.9, 9);
  });

  it('the same market at masses × 1e-4: the verdicts do not change with the unit (review: 5e-5 off the point passed)', async () => {
    // q2 = q̄1/r̄ exactly is the only equilibrium with type 2 indifferent (above); 5e-5 relatively off it is none, at
    // any unit. Unscaled, the LP's absolute tolerances accepted the point off it at masses × 1e-4 (p = (0.599983, 2.5e-5))
    const h = await highsSolver();
    for (const k of [1, 1e-4, 1e4]) {
      const at = (q2: number) => nearestSupport(h, glp(0.6), [0.3 * k, q2 * k], 0.5, ['full', 'interior'], 0.7 * k, [0.6, 0]);
      const on = at(0.6);
      expect(on?.distance).toBeCloseTo(0, 9);
      // W = V + Σ u X − r̄ Σ q, extensive in the masses
      expect((on?.equilibrium.welfare ?? NaN) / k).toBeCloseTo(welfareW(h, glp(0.6), [0.3, 0.6]).W - 0.5 * 0.9, 9);
      expect(at(0.6 * (1 + 5e-5))).toBeNull();
    }
  });
});

describe('a type with a tiny mass gets no price slack (the zero-profit row\'s tolerance divided by q(ω))', () => {
  // γ_u = γ_π = 1, types = fees = (1, 2): v(a, ω) = ω whenever ω ≥ a, so V(q) = q(0) + 2 q(1) (every consumer buys
  // under full disclosure) and p = (1, 2) is the only supergradient at any q > 0. Type 0 pays a fee ≥ 1 = ω, so
  // U(0) = 0 and G(0) = 1 < r̄ = 1 + δ: it sells nothing, while G(1) ≥ 2 > r̄: the only equilibrium is q = (0, q̄(1)).
  // The support LP's zero-profit row Σ q p ≤ V + 1e-9 let p(0) rise by 1e-9 / q(0) (1e-4 at q(0) = 2e-6, review), and
  // (q̄(0), q̄(1)) was reported first, exact.
  it('the only equilibrium is (0, q̄(1)), for q̄(0) down to 1e-6 and r̄ − 1 down to 1e-6', async () => {
    const h = await highsSolver();
    await fc.assert(
      fc.asyncProperty(fc.double({ min: -6, max: -3, noNaN: true }), fc.double({ min: -6, max: -3, noNaN: true }), async (m, d) => {
        const mass = [10 ** m, 1];
        const rbar = 1 + 10 ** d;
        const s = validateScenario({ name: 'x', model: 'intermediation', types: [1, 2], mass, weights: { consumer: 1, merchant: 1 }, reservationUtility: rbar }) as IntermediationScenario;
        const r = JSON.parse(JSON.stringify(await solveIntermediation(s))) as { equilibria: Array<{ records: number[] }> };
        expect(r.equilibria.map((e) => e.records)).toEqual([[0, 1]]);
        expect(nearestSupport(h, glpBoth, mass, rbar, ['full', 'full'], 1, [1, 2])).toBeNull();
      }),
      { numRuns: 12, seed: 20261128 },
    );
    // the review's market
    expect(nearestSupport(h, glpBoth, [2e-6, 1], 1.000101, ['full', 'full'], 1, [1, 2])).toBeNull();
  });

  it('a tiny type cannot buy another treatment with the value row\'s slack: X stays on P_q\'s optimal face', async () => {
    // types (1, 2), fees (0.5, 2), γ = (1, 1): the platform maximises total surplus, so every consumer buys — type 0
    // (ω = 1) only at fee 0.5, U(0) = 0.5 in every optimal design — and V = q(0) + 2 q(1), p = (1, 2): G(0) = 1.5 > r̄,
    // type 0 sells everything, and the only equilibrium is q̄ = (4e-6, 1). The row Σ vX ≥ V − 1e-9 let X move 1e-9
    // of value, U(0) down by ~1e-9/q(0): (q(0), 1) passed for q(0) ∈ (1e-9, 4e-6) at r̄ = 1.499999 (review)
    const h = await highsSolver();
    const game = { types: [1, 2], fees: [0.5, 2], gammaU: 1, gammaPi: 1 };
    for (const rbar of [1.499999, 1.49999]) {
      for (const q0 of [1e-8, 2e-6, 3.9e-6]) expect(checkCandidate(h, game, [q0, 1], rbar, ['interior', 'full'], 1), `${rbar}, ${q0}`).toBeNull();
      const s = validateScenario({ name: 'x', model: 'intermediation', types: [1, 2], fees: [0.5, 2], mass: [4e-6, 1], weights: { consumer: 1, merchant: 1 }, reservationUtility: rbar }) as IntermediationScenario;
      const r = JSON.parse(JSON.stringify(await solveIntermediation(s))) as { equilibria: Array<{ records: number[]; continuum?: unknown }> };
      expect(r.equilibria.map((e) => e.records)).toEqual([[4e-6, 1]]);
      expect(r.equilibria[0].continuum).toBeUndefined();
    }
  });

  it('records of 2e-16 are a verdict, not a solver failure (the gain rows are divided by at least GAIN_ROW_FLOOR)', async () => {
    // the search of types (1.28, 1.74, 4.05), γ = (2, 0.33), q̄ = (0.69, 0.17, 6.9e-7), r̄ = 1.8024 tested this point;
    // dividing by q(2) gave coefficients of 1e16, HiGHS refused the LP ("passModel failed") and the search was not exact
    const h = await highsSolver();
    const game = { types: [1.28, 1.74, 4.05], fees: [1.28, 1.74, 4.05], gammaU: 2, gammaPi: 0.33 };
    for (const roles of [['interior', 'interior', 'interior'], ['interior', 'interior', 'full']] as const) {
      expect(() => checkCandidate(h, game, [1.82e-7, 5.08e-7, 2.3e-16], 1.8024, [...roles], 0.69)).not.toThrow();
    }
    const s = validateScenario({ name: 'x', model: 'intermediation', types: game.types, mass: [0.69, 0.17, 6.9e-7], weights: { consumer: 2, merchant: 0.33 }, reservationUtility: 1.8024 }) as IntermediationScenario;
    const r = JSON.parse(JSON.stringify(await solveIntermediation(s))) as { equilibriumSearch: { exact: boolean; solverFailures: number } };
    expect(r.equilibriumSearch).toMatchObject({ exact: true, solverFailures: 0 });
  });
});
const glpBoth = { types: [1, 2], fees: [1, 2], gammaU: 1, gammaPi: 1 };
