/**
 * The scenario's `equilibriumSearch` limits: raising `maxTypes` makes the exact search run beyond 5 types and
 * stay exact; a low `maxFaces` sends it to the fallback, named in the reason. Oracle, derived by hand:
 * with γ_π > γ_u and A = Ω the platform discriminates perfectly (every record is sold to the merchant at its own
 * WTP: V(q) = γ_π Σ ω q(ω), one linear piece, consumers' surplus U = 0), so the only price of a sold record is
 * p(ω) = γ_π ω and type ω sells iff γ_π ω ≥ r̄ (all of it when >, any amount when =). On types 0, 2…6 with γ_π = 1:
 *  r̄ = 2.5: the unique equilibrium is q = (0, 0, q̄_3, …, q̄_6), W = Σ_{ω ≥ 3} q̄(ω)(ω − 2.5);
 *  r̄ = 3:   type 3 is indifferent, so q_3 ∈ [0, q̄_3] is a continuum; W = Σ_{ω ≥ 4} q̄(ω)(ω − 3) for all of it.
 * The lowest type is 0 instead of 1 (it never sells: γ_π·0 < r̄, and u(·, 0) = 0): that keeps these markets out of
 * the closed form of fullDisclosure.ts (which needs every ω > 0), so that they exercise the exact search.
 */
import { describe, expect, it } from 'vitest';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { MAX_SEARCH_FACES_HARD, MAX_SEARCH_TYPES_HARD } from '../../src/model/intermediation/index.js';
import { MAX_TWO_INTERIOR_TYPES_HARD } from '../../src/model/intermediation/e2Pairs.js';
import { MAX_TWO_SPLIT_SLICES_HARD } from '../../src/model/intermediation/e2MultiPairs.js';
import { SEARCH_MAX_FACES, SEARCH_MAX_SPLIT_SLICES, SEARCH_MAX_TYPES, SEARCH_TWO_INTERIOR_MAX_TYPES, validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const types = [0, 2, 3, 4, 5, 6];
const mass = [0.1, 0.2, 0.15, 0.25, 0.2, 0.1];

function scenario(rbar: number, equilibriumSearch?: { maxTypes?: number; maxFaces?: number }): IntermediationScenario {
  return validateScenario({ name: 't', model: 'intermediation', types, mass, weights: { consumer: 0.5, merchant: 1 }, reservationUtility: rbar, ...(equilibriumSearch ? { equilibriumSearch } : {}) }) as IntermediationScenario;
}

interface EqJson {
  records: number[];
  prices: number[];
  welfare: number;
  continuum?: { type: number; from: number; to: number };
}
interface SearchJson {
  exact: boolean;
  patterns?: number;
  limits: { maxTypes?: number; maxFaces?: number; exceeded?: string; reason?: string };
}

describe('equilibriumSearch limits', () => {
  it('the schema caps equal the search hard caps', () => {
    expect(SEARCH_MAX_TYPES).toBe(MAX_SEARCH_TYPES_HARD);
    expect(SEARCH_MAX_FACES).toBe(MAX_SEARCH_FACES_HARD);
    expect(SEARCH_TWO_INTERIOR_MAX_TYPES).toBe(MAX_TWO_INTERIOR_TYPES_HARD);
    expect(SEARCH_MAX_SPLIT_SLICES).toBe(MAX_TWO_SPLIT_SLICES_HARD);
  });

  it('6 types by default: not exhaustive, and the reason says how to make it exact', async () => {
    const r = await solveIntermediation(scenario(2.5));
    const search = r.equilibriumSearch as SearchJson;
    expect(search.exact).toBe(false);
    expect(search.limits.reason).toMatch(/at most 5 types \(MAX_SEARCH_TYPES; this market has 6\); set equilibriumSearch\.maxTypes to 6/);
  }, 60_000);

  it('maxTypes 6, r̄ = 2.5: exact, 729 patterns with progress, the unique closed-form equilibrium', async () => {
    const seen: Array<[number, number]> = [];
    const r = await solveIntermediation(scenario(2.5, { maxTypes: 6 }), { onProgress: (d, t) => seen.push([d, t]) });
    const search = r.equilibriumSearch as SearchJson;
    expect(search.exact).toBe(true);
    expect(search.patterns).toBe(3 ** 6);
    expect(search.limits).toEqual({ maxTypes: 6, maxFaces: 80000 }); // 20000·4^(6 − 5) by default
    expect(seen.at(-1)).toEqual([729, 729]);
    expect(seen.every(([d], k) => k === 0 || d >= seen[k - 1][0])).toBe(true);
    const eqs = r.equilibria as EqJson[];
    expect(eqs).toHaveLength(1);
    const want = mass.map((m, k) => (types[k] >= 3 ? m : 0));
    eqs[0].records.forEach((x, k) => expect(x).toBeCloseTo(want[k], 12));
    for (let k = 2; k < 6; k++) expect(eqs[0].prices[k]).toBeCloseTo(types[k], 9);
    expect(eqs[0].welfare).toBeCloseTo(mass.reduce((s, m, k) => s + (types[k] >= 3 ? m * (types[k] - 2.5) : 0), 0), 12);
  }, 60_000);

  it('maxTypes 6, r̄ = 3: type 3 indifferent, the whole segment [0, q̄_3] is found', async () => {
    const r = await solveIntermediation(scenario(3, { maxTypes: 6 }));
    expect((r.equilibriumSearch as SearchJson).exact).toBe(true);
    const eqs = r.equilibria as EqJson[];
    const W = mass.reduce((s, m, k) => s + (types[k] >= 4 ? m * (types[k] - 3) : 0), 0);
    for (const e of eqs) {
      expect(e.welfare).toBeCloseTo(W, 12);
      e.records.forEach((x, k) => {
        if (k !== 2) expect(x).toBeCloseTo(types[k] >= 4 ? mass[k] : 0, 12);
      });
    }
    // the corners and the interior continuum between them
    const q3 = eqs.map((e) => e.records[2]);
    expect(q3.some((x) => x === 0)).toBe(true);
    expect(q3.some((x) => Math.abs(x - mass[2]) < 1e-12)).toBe(true);
    const c = eqs.find((e) => e.continuum)?.continuum;
    expect(c?.type).toBe(2);
    expect(c?.from).toBeLessThan(1e-8);
    expect(c?.to).toBeCloseTo(mass[2], 12);
  }, 60_000);

  it('without the BBM closed form (fees between types), maxTypes 6 also lets the planner enumerate the pieces of V', async () => {
    const base = { name: 't', model: 'intermediation', types, fees: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6], mass, weights: { consumer: 0.5, merchant: 1 }, reservationUtility: 2.5 };
    const off = await solveIntermediation(validateScenario(base) as IntermediationScenario);
    expect((off.constrainedEfficient as { available: boolean; reason: string }).available).toBe(false);
    expect((off.constrainedEfficient as { reason: string }).reason).toMatch(/limited to 5 types \(MAX_PIECE_TYPES; this market has 6\); set equilibriumSearch\.maxTypes to 6/);
    const on = await solveIntermediation(validateScenario({ ...base, equilibriumSearch: { maxTypes: 6 } }) as IntermediationScenario);
    expect((on.equilibriumSearch as SearchJson).exact).toBe(true);
    const planner = on.constrainedEfficient as { records: number[]; welfare: number };
    expect(planner.records).toHaveLength(6);
    // the planner's optimum is at least every equilibrium's welfare (it maximises W over all q ≤ q̄)
    for (const e of on.equilibria as EqJson[]) expect(planner.welfare).toBeGreaterThanOrEqual(e.welfare - 1e-9);
    expect((on.efficiency as { efficient: boolean | null }).efficient).not.toBeNull();
  }, 60_000);

  it('a low maxFaces sends a 3-type market to the fallback, named by its field', async () => {
    // γ = (1, 0), r̄ = 0.3: 88 face LPs in the exact search (exactSearch.test.ts' three-type market)
    const s = validateScenario({ name: 't', model: 'intermediation', types: [1, 2, 3], mass: [0.2, 0.3, 0.5], weights: { consumer: 1, merchant: 0 }, reservationUtility: 0.3, equilibriumSearch: { maxFaces: 3 } }) as IntermediationScenario;
    const r = await solveIntermediation(s);
    const search = r.equilibriumSearch as SearchJson;
    expect(search.exact).toBe(false);
    expect(search.limits.exceeded).toBe('faces');
    expect(search.limits.reason).toMatch(/at most 3 pattern × face LPs \(equilibriumSearch\.maxFaces; this market has at least 4\); raise equilibriumSearch\.maxFaces/);
  });

  it('twoInteriorMaxTypes reaches the E2 search: below the types with records, two interior types are not searched and the limit is reported', async () => {
    const gp = (equilibriumSearch?: { twoInteriorMaxTypes: number }) =>
      validateScenario({ name: 'g', model: 'intermediation', types: [1, 2, 3], mass: [0.3, 0.4, 0.3], weights: { consumer: 1, merchant: 0 }, platforms: [{ weights: { consumer: 1, merchant: 0 }, buyerWeights: [1, 3, 1] }], privacyValues: [2, 0, 1], ...(equilibriumSearch ? { equilibriumSearch } : {}) }) as IntermediationScenario;
    const e2 = async (s: IntermediationScenario) => ((await solveIntermediation(s)).multiPlatform as { E2: { searched: { twoInterior: boolean }; twoInteriorLimit?: unknown } }).E2;
    const limited = await e2(gp({ twoInteriorMaxTypes: 2 }));
    expect(limited.searched.twoInterior).toBe(false);
    expect(limited.twoInteriorLimit).toEqual({ types: 3, maxTypes: 2 });
    const full = await e2(gp());
    expect(full.searched.twoInterior).toBe(true);
    expect(full.twoInteriorLimit).toBeUndefined();
  });

  it('and with one platform of several merchants: its two split types are not searched and the limit is reported', async () => {
    const gp = (equilibriumSearch?: { twoInteriorMaxTypes: number }) =>
      validateScenario({ name: 'g', model: 'intermediation', types: [1, 2, 3], mass: [0.3, 0.4, 0.3], weights: { consumer: 1, merchant: 0 }, platforms: [{ weights: { consumer: 1, merchant: 0 }, buyerWeights: [1, 3, 1], merchants: [{ fees: [1, 2, 3] }, { fees: [2, 3] }] }], privacyValues: [2, 0, 1], ...(equilibriumSearch ? { equilibriumSearch } : {}) }) as IntermediationScenario;
    const e2 = async (s: IntermediationScenario) => ((await solveIntermediation(s)).multiPlatform as { E2: { searched: { twoSplitTypes: boolean; severalSplitTypes: boolean }; twoInteriorLimit?: unknown } }).E2;
    const limited = await e2(gp({ twoInteriorMaxTypes: 2 }));
    expect(limited.searched.twoSplitTypes).toBe(false);
    expect(limited.searched.severalSplitTypes).toBe(false);
    expect(limited.twoInteriorLimit).toEqual({ types: 3, maxTypes: 2 });
    const full = await e2(gp());
    expect(full.searched.twoSplitTypes).toBe(true);
    expect(full.twoInteriorLimit).toBeUndefined();
  });

  it('maxSplitSlices reaches the several-platform E2 search: below a kind\'s count its slices are not searched, and the limit is reported', async () => {
    // three types with records, two platforms: two-split slices C(3, 2)·S²·(I + 1)^(N − 2) with S = I(I + 1)/2 = 3
    // segments per type (keep ↔ 1, keep ↔ 2, 1 ↔ 2): 3·9·3 = 81; three-way slices N·C(I + 1, 3)·(I + 1)^(N − 1) =
    // 3·1·9 = 27. The market has two-split equilibria (e2Multi.test.ts: they pass the brute force)
    const gp = (equilibriumSearch?: { maxSplitSlices: number }) =>
      validateScenario({
        name: 'g',
        model: 'intermediation',
        types: [1.18, 2.49, 3.06],
        mass: [0.13, 0.18, 0.75],
        weights: { consumer: 1, merchant: 0 },
        platforms: [
          { weights: { consumer: 1.08, merchant: 0.15 }, buyerWeights: [1.39, 0.28, 1.31] },
          { weights: { consumer: 1.26, merchant: 0.03 }, buyerWeights: [0.46, 0.32, 0.53] },
        ],
        privacyValues: [0.8, 2.79, 1.99],
        ...(equilibriumSearch ? { equilibriumSearch } : {}),
      }) as IntermediationScenario;
    type E2 = { searched: { twoSplitTypes: boolean; threeWaySplits: boolean }; sliceLimit?: unknown; equilibria: Array<{ records: number[][]; twoSplit?: unknown }> };
    const e2 = async (s: IntermediationScenario) => ((await solveIntermediation(s)).multiPlatform as { E2: E2 }).E2;
    const limited = await e2(gp({ maxSplitSlices: 80 }));
    expect(limited.searched.twoSplitTypes).toBe(false);
    expect(limited.sliceLimit).toEqual({ twoSplit: 81, threeWay: 27, maxSlices: 80 });
    expect(limited.equilibria.filter((e) => e.twoSplit)).toEqual([]);
    const full = await e2(gp({ maxSplitSlices: 81 }));
    expect(full.searched.twoSplitTypes).toBe(true);
    expect(full.sliceLimit).toBeUndefined();
    expect(full.equilibria.filter((e) => e.twoSplit).length).toBeGreaterThan(0);
    // what the lower limit finds is found with the higher one too
    const key = (e: { records: number[][] }) => JSON.stringify(e.records);
    expect(limited.equilibria.every((e) => full.equilibria.some((f) => key(f) === key(e)))).toBe(true);
  }, 60_000);
});
