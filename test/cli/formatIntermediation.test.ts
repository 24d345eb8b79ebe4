/**
 * The "search NOT exhaustive" line of `solve`'s text: the exact search's own `limits` (maxTypes, maxFaces) carry no
 * reason, so a non-exact exact search printed "undefined; verified candidate search" (seen on a 4-type market whose
 * bilinear face went to the grid); the candidate search's reason is printed as it is.
 */
import { describe, expect, it } from 'vitest';
import { formatIntermediation } from '../../src/cli/formatIntermediation.js';

const base = { platformValue: 1, recordPrices: [{ lower: 1, upper: 1 }], equilibria: [] };

describe('formatIntermediation: why a search is not exhaustive', () => {
  it('the exact search with a grid face names the counters, never "undefined"', () => {
    const text = formatIntermediation({ ...base, equilibriumSearch: { exact: false, bilinearFaces: 1, limits: { maxTypes: 5, maxFaces: 20000 } } });
    expect(text).not.toMatch(/undefined/);
    expect(text).toMatch(/search NOT exhaustive: a face searched on a grid, a failed re-check or an off-path value not proved \(see equilibriumSearch: bilinearFaces/);
  });
  it('beyond the limits, the reason', () => {
    const text = formatIntermediation({ ...base, equilibriumSearch: { exact: false, limits: { exceeded: 'types', reason: 'at most 5 types' } } });
    expect(text).toMatch(/search NOT exhaustive: at most 5 types; verified candidate search, other equilibria may exist/);
  });
  it('an exact search says nothing', () => {
    expect(formatIntermediation({ ...base, equilibriumSearch: { exact: true, limits: { maxTypes: 5, maxFaces: 20000 } } })).not.toMatch(/NOT exhaustive/);
  });
});

describe('formatIntermediation: an entry that stands for a set says so (review: two identical lines, two different sets)', () => {
  const eq = { outcome: 'trade', records: [0.2, 0.2], prices: [1.5, 1], privateGain: [1.5, 1.5], welfare: 0.8 };
  const text = (e: Record<string, unknown>, efficiency?: Record<string, unknown>) => formatIntermediation({ ...base, equilibria: [{ ...eq, ...e }], ...(efficiency ? { efficiency } : {}) });
  it('a continuum: its type and ends', () => {
    expect(text({ continuum: { type: 0, from: 0.4, to: 0.8 } })).toMatch(/W = 0\.800000; a continuum: type 0's records from 0\.400000 to 0\.800000/);
  });
  it('a region: each interior type\'s range; a segment: its ends, and a cone', () => {
    expect(text({ region: { types: [0, 1], lower: [0.2, 0.2], upper: [0.433333, 0.9], pieces: [] } })).toMatch(/; a set whose records range over q\(0\) ∈ \[0\.200000, 0\.433333\], q\(1\) ∈ \[0\.200000, 0\.900000\] \(each type's range, not a box\)/);
    const seg = { types: [0, 1], lower: [0, 0], upper: [1, 1], pieces: [], segment: { from: [0.2, 0.2], to: [0.4, 0.9], cone: true } };
    expect(text({ region: seg })).toMatch(/; a set: the cone over the segment q = \(0\.200000, 0\.200000\) … \(0\.400000, 0\.900000\)/);
  });
  it('a segment of length 0: the ray through its point on a cone, else nothing (review: "the segment X … X")', () => {
    const seg = (cone: boolean) => ({ types: [0, 1], lower: [0, 0], upper: [1, 1], pieces: [], segment: { from: [0.2, 0.3], to: [0.2, 0.3], cone } });
    expect(text({ region: seg(true) })).toMatch(/W = 0\.800000; a set: the ray through q = \(0\.200000, 0\.300000\)\n/);
    expect(text({ region: seg(false) })).toMatch(/W = 0\.800000\n/);
  });
  it('a welfare of rounding noise prints as 0 (a cone, W ≡ 0)', () => {
    expect(text({ welfare: -2.220446049250313e-16 })).toMatch(/W = 0\n/);
    expect(text({ welfare: 1e-6 })).toMatch(/W = 0\.00000100000\n/);
  });
  it('a point says nothing more; a lower welfareMin is printed', () => {
    expect(text({})).toMatch(/W = 0\.800000\n/);
    expect(text({ welfareMin: 0.8 })).toMatch(/W = 0\.800000\n/);
    expect(text({ welfareMin: 0.5 })).toMatch(/W = 0\.800000 \(down to 0\.500000 over the equilibria it stands for\)\n/);
    expect(text({ welfareMin: null })).toMatch(/W = 0\.800000 \(its least welfare over the equilibria it stands for is not known\)\n/);
  });
  it('the verdict on every equilibrium next to the reported one\'s (review: "efficient: true" while another equilibrium was not)', () => {
    expect(text({}, { efficient: true, welfareGap: 0, allEquilibriaEfficient: false, allFoundEfficient: false })).toMatch(/reported equilibrium efficient: true \(gap 0\)\nevery equilibrium efficient: false\n/);
    expect(text({}, { efficient: true, welfareGap: 0, allEquilibriaEfficient: null, allFoundEfficient: true })).toMatch(/every equilibrium found efficient: true \(the search is not exhaustive\)/);
    expect(text({}, { efficient: true, welfareGap: 0, allEquilibriaEfficient: null, allFoundEfficient: null })).toMatch(/every equilibrium efficient: not known/);
    expect(text({}, { efficient: true, welfareGap: 0 })).not.toMatch(/every equilibrium/);
  });
});

describe('formatIntermediation: an E2 search that is not exhaustive says what it left out', () => {
  const mp = (searched: Record<string, unknown>) => ({ designs: [], E1: { available: false }, E3: { available: false }, E2: { available: true, equilibria: [], secondBest: { welfare: 2 }, searched } });
  it('each false flag, in words', () => {
    const text = formatIntermediation({ ...base, multiPlatform: mp({ corners: true, oneSplitType: true, twoSplitTypes: false, threeWaySplits: true, severalSplitTypes: false, candidates: 71 }) });
    expect(text).toMatch(/E2 search NOT exhaustive, not searched: two types each split between two uses; other allocations with two or more split types \(as a split type next to a three-way one\) \(E2\.searched\)/);
    const one = formatIntermediation({ ...base, multiPlatform: mp({ corners: true, oneInterior: true, severalInterior: false, twoInterior: true }) });
    expect(one).toMatch(/not searched: three or more types selling part of their records \(E2\.searched\)/);
    // with E2.threeInteriorUnsold (four or five types: those triples searched), the exception is named
    const unsold = formatIntermediation({ ...base, multiPlatform: { ...mp({ corners: true, oneInterior: true, severalInterior: false, twoInterior: true }), E2: { ...mp({ corners: true, oneInterior: true, severalInterior: false, twoInterior: true }).E2, threeInteriorUnsold: true } } });
    expect(unsold).toMatch(/not searched: three or more types selling part of their records, except three types selling part of their records while every other type sells nothing \(E2\.searched\)/);
  });
  it('one equilibrium in the singular (review: "1 equilibria found")', () => {
    const one = { records: [0, 0.7], welfare: 0.6, priceIntervals: [{ lower: 1, upper: 2 }, { lower: 0, upper: 0 }] };
    const m = mp({ corners: true, oneInterior: true, severalInterior: true, twoInterior: true });
    expect(formatIntermediation({ ...base, multiPlatform: { ...m, E2: { ...m.E2, equilibria: [one] } } })).toMatch(/^E2: 1 equilibrium found; SB = 2$/m);
    expect(formatIntermediation({ ...base, multiPlatform: m })).toMatch(/^E2: 0 equilibria found/m);
  });
  it('a complete search says nothing', () => {
    expect(formatIntermediation({ ...base, multiPlatform: mp({ corners: true, oneInterior: true, severalInterior: true, twoInterior: true }) })).not.toMatch(/NOT exhaustive/);
  });
  it('two interior types left out for the type limit: the limit, and how to raise it', () => {
    const off = { corners: true, oneInterior: true, severalInterior: false, twoInterior: false };
    const text = formatIntermediation({ ...base, multiPlatform: { ...mp(off), E2: { ...mp(off).E2, twoInteriorLimit: { types: 5, maxTypes: 4 } } } });
    expect(text).toMatch(/two interior types are searched with at most 4 types with records \(this market has 5\); set equilibriumSearch\.twoInteriorMaxTypes to 5 to search them/);
    expect(formatIntermediation({ ...base, multiPlatform: mp(off) })).not.toMatch(/twoInteriorMaxTypes/);
  });
  it('four types: the volume search on request, and a volume it skipped', () => {
    const off = { corners: true, oneInterior: true, severalInterior: false, twoInterior: true };
    const withVolumes = (manyInterior: unknown) => formatIntermediation({ ...base, multiPlatform: { ...mp(off), E2: { ...mp(off).E2, manyInterior } } });
    expect(withVolumes({ requested: false, complete: false })).toMatch(/were not searched: equilibriumSearch\.manyInterior is false/);
    expect(withVolumes({ requested: true, complete: false })).toMatch(/skipped a volume/);
    expect(withVolumes({ requested: true, complete: true })).not.toMatch(/manyInterior|skipped a volume/);
    expect(formatIntermediation({ ...base, multiPlatform: mp(off) })).not.toMatch(/manyInterior/);
    // five types with the volumes searched: the four-dimensional sets are what is left
    const five = formatIntermediation({ ...base, multiPlatform: { ...mp(off), E2: { ...mp(off).E2, threeInteriorUnsold: true, manyInterior: { requested: true, complete: true } } } });
    expect(five).toMatch(/NOT exhaustive.*except three types selling part of their records while every other type sells nothing, and three or four types selling part next to types at corners \(the three-dimensional sets: manyInterior\)/);
  });
  it('an entry of the volume search names its interior types and its set', () => {
    const e = { records: [0.36, 0.12, 0.24, 0.5], welfare: 1, priceIntervals: [0, 0, 0, 0].map(() => ({ lower: 0, upper: 0 })), manyInterior: { types: [0, 1, 2], from: [0, 0, 0, 0.5], to: [0.72, 0.24, 0.48, 0.5] } };
    const m = mp({ corners: true, oneInterior: true, severalInterior: true, twoInterior: true });
    expect(formatIntermediation({ ...base, multiPlatform: { ...m, E2: { ...m.E2, equilibria: [e] } } })).toMatch(/types 0, 1, 2 interior along q = \(0, 0, 0, 0\.500000\) … q = \(0\.720000, 0\.240000, 0\.480000, 0\.500000\)/);
    const ray = { ...e, manyInterior: { types: [0, 1, 2, 3], face: 3, rayFrom: [0.1, 0, 0, 0] } };
    expect(formatIntermediation({ ...base, multiPlatform: { ...m, E2: { ...m.E2, equilibria: [ray] } } })).toMatch(/types 0, 1, 2, 3 interior: the rays through the points \(where type 3 fills first\).*this point's ray from q = \(0\.100000, 0, 0, 0\)/);
  });
  it('slices left out for the slice limit: which kinds, and the value that searches them', () => {
    const off = { corners: true, oneSplitType: true, twoSplitTypes: false, threeWaySplits: true, fourWaySplits: true, severalSplitTypes: false, candidates: 9 };
    const withLimit = (sliceLimit: unknown, flags: Record<string, unknown> = off) => formatIntermediation({ ...base, multiPlatform: { ...mp(flags), E2: { ...mp(flags).E2, sliceLimit } } });
    expect(withLimit({ twoSplit: 2430, threeWay: 405, maxSlices: 700 })).toMatch(/not searched, more slices than 700 \(equilibriumSearch\.maxSplitSlices\): two split types \(2430 slices\); set equilibriumSearch\.maxSplitSlices to 2430 to search them/);
    expect(withLimit({ twoSplit: 81, threeWay: 27, maxSlices: 20 }, { ...off, threeWaySplits: false })).toMatch(/two split types \(81 slices\), one type split over three uses \(27 slices\); set equilibriumSearch\.maxSplitSlices to 81 /);
    // a kind over the limit but settled otherwise (its flag true) is not named, nor asked for (review: the hint
    // asked for 896 three-way slices that the shared kinks had made unnecessary)
    const settled = withLimit({ twoSplit: 784, threeWay: 896, maxSlices: 800 }, { ...off, twoSplitTypes: true, severalSplitTypes: true });
    expect(settled).not.toMatch(/more slices than|maxSplitSlices/);
    expect(withLimit({ twoSplit: 784, threeWay: 896, maxSlices: 700 }, { ...off, threeWaySplits: true })).toMatch(/two split types \(784 slices\); set equilibriumSearch\.maxSplitSlices to 784 /);
    // beyond the option's cap there is nothing to set
    expect(withLimit({ twoSplit: 230400, threeWay: 40960, maxSlices: 700 })).not.toMatch(/set equilibriumSearch/);
    expect(formatIntermediation({ ...base, multiPlatform: mp(off) })).not.toMatch(/maxSplitSlices/);
  });
  it('two types: where two platforms could both hold records, each price searched exactly or not; none at all', () => {
    const all = { corners: true, oneSplitType: true, twoSplitTypes: true, threeWaySplits: true, fourWaySplits: true, severalSplitTypes: true, candidates: 63 };
    const withKinks = (sharedKinks: unknown[], searched = all) => formatIntermediation({ ...base, multiPlatform: { ...mp(searched), E2: { ...mp(searched).E2, sharedKinks } } });
    expect(withKinks([])).toMatch(/no two platforms' values kink at a common price: in every E2 equilibrium at most one platform holds records/);
    const kinks = [
      { platforms: [0, 1], names: ['A', 'B'], price: [0.5, 1.5], crossing: { directions: [[1, 0], [0, 1]] }, by: 'crossingSearch' },
      { platforms: [0, 1], names: ['A', 'B'], price: [0, 1], by: 'notSearched' },
      { platforms: [0, 1], names: ['A', 'B'], price: [0, 1], overlap: { direction: [1, 0], to: null }, by: 'threeWaySlices' },
      { platforms: [0, 1], names: ['A', 'B'], price: [1, 0], by: 'sellsNothing', idleType: 1 },
    ];
    const text = withKinks(kinks, { ...all, severalSplitTypes: false });
    expect(text).toMatch(/NOT exhaustive/);
    expect(text).toMatch(
      /two platforms can both hold records only at prices where their values kink together: p = \(0\.500000, 1\.50000\) \(A, B: searched exactly\); p = \(0, 1\) \(A, B: not searched\); p from \(0, 1\) to ∞ along p\(1\) \(A, B: both hold type 0 only: the three-way splits\); p = \(1, 0\) \(A, B: type 1 sells nothing there\)/,
    );
  });
  it('one platform, three types interior: the face, the set on it, and the ray down from it (or that it is not located)', () => {
    const eq = (threeInterior: Record<string, unknown>) => ({ records: [0.72, 0.24, 0.48], prices: [0, 0, 0], priceIntervals: [], welfare: 1, threeInterior });
    const text = (t: Record<string, unknown>) => formatIntermediation({ ...base, multiPlatform: { ...mp({}), E2: { ...mp({}).E2, equilibria: [eq(t)] } } });
    expect(text({ face: 0, rayFrom: [0.36, 0.12, 0.24] })).toMatch(/; all three types interior: the ray through this point \(where type 0 fills first\), each from where it enters the set up to the box — this point's ray from q = \(0\.360000, 0\.120000, 0\.240000\)\n/);
    expect(text({ face: 2, from: [0.1, 0.2, 0.3], to: [0.2, 0.2, 0.3] })).toMatch(/the rays through the segment q = \(0\.100000, 0\.200000, 0\.300000\) … q = \(0\.200000, 0\.200000, 0\.300000\) \(where type 2 fills first\), each from where it enters the set up to the box — where this point's ray enters the set is not located\n/);
  });
  it('three or more types: regions apart, or apart with a stray two-holder equilibrium', () => {
    const with_ = (extra: Record<string, unknown>) => formatIntermediation({ ...base, multiPlatform: { ...mp({}), E2: { ...mp({}).E2, ...extra } } });
    expect(with_({ regionsApart: true, strayTwoHolders: false })).toMatch(/no two platforms' price regions meet: in every E2 equilibrium at most one platform holds records/);
    expect(with_({ regionsApart: true, strayTwoHolders: false })).toMatch(/at most one platform holds records \(up to the exact test's tolerance: a platform holding h records passes it at prices up to about 1e-9\/h inside its region\)/);
    expect(with_({ regionsApart: true, strayTwoHolders: true })).toMatch(/no two platforms' price regions meet, yet an allocation with two holders passed the exact test \(within its tolerance\): not claimed exhaustive/);
    expect(with_({ regionsApart: false })).not.toMatch(/price regions meet/);
  });
  it('an equilibrium set at a shared kink: a point, a segment or a polygon, exact', () => {
    const eq = (region: number[][][]) => ({ records: region[0], kept: [0, 0], prices: [1, 1], priceIntervals: [{ lower: 1, upper: 1 }, { lower: 1, upper: 1 }], welfare: 1, sharedKink: { platforms: [0, 1], region } });
    const text = (region: number[][][]) => formatIntermediation({ ...base, multiPlatform: { ...mp({}), E2: { ...mp({}).E2, equilibria: [eq(region)] } } });
    expect(text([[[1, 0], [0, 1]]])).toMatch(/platforms 1 and 2 both hold records, on rays at a shared kink: a point \(exact\)/);
    expect(text([[[1, 0], [0, 1]], [[0.5, 0], [0, 0.5]]])).toMatch(/the segment q1 = \(1, 0\), q2 = \(0, 1\) … q1 = \(0\.500000, 0\), q2 = \(0, 0\.500000\) \(exact\)/);
    expect(text([[[1, 0], [0, 1]], [[0.5, 0], [0, 0.5]], [[0.5, 0], [0, 1]]])).toMatch(/the polygon \(q1 = \(1, 0\), q2 = \(0, 1\)\) … \(q1 = \(0\.500000, 0\), q2 = \(0, 0\.500000\)\) … \(q1 = \(0\.500000, 0\), q2 = \(0, 1\)\) \(exact\)/);
  });
});

describe('formatIntermediation: the efficiency gap', () => {
  const text = (welfareGap: number) => formatIntermediation({ ...base, constrainedEfficient: { records: [1], welfare: 4 }, efficiency: { efficient: welfareGap <= 4e-9, welfareGap } });
  it('within the verdict\'s tolerance (1e-9 of Wo) it prints as 0, rounding noise and all; beyond, as it is', () => {
    expect(text(-2.220446049250313e-16)).toMatch(/reported equilibrium efficient: true \(gap 0\)/);
    expect(text(3e-9)).toMatch(/\(gap 0\)/);
    expect(text(5e-9)).toMatch(/reported equilibrium efficient: false \(gap 5\.00000e-9\)/);
    expect(text(0.06)).toMatch(/\(gap 0\.0600000\)/);
  });
});

describe('formatIntermediation: remedies not available (review: the reason was read as a remedy, exit 1)', () => {
  it('a six-type market beyond the planner\'s type limit: solve\'s own result prints, remedies say none and why', async () => {
    const { solveIntermediation } = await import('../../src/checker/intermediation/index.js');
    const { validateScenario } = await import('../../src/scenario/index.js');
    type S = Parameters<typeof solveIntermediation>[0];
    // type 0 keeps the market out of the BBM closed form, so the planner needs the pieces of V (at most 5 types)
    const s = validateScenario({ name: 'six', model: 'intermediation', types: [0, 1, 2, 3, 4, 5], mass: [0.1, 0.2, 0.2, 0.2, 0.2, 0.1], weights: { consumer: 1, merchant: 0.2 }, reservationUtility: 0.5 }) as S;
    const r = await solveIntermediation(s);
    expect(r.remedies).toMatchObject({ available: false });
    const text = formatIntermediation(r);
    expect(text).toMatch(/^remedies: none \(the same reason\)$/m);
    expect(text).toMatch(/^efficiency verdict: none \(without the BBM closed form/m);
    // another reason than the verdict's is printed in full
    expect(formatIntermediation({ ...base, remedies: { available: false, reason: 'why not' } })).toMatch(/^remedies: none \(why not\)$/m);
  }, 60_000);
});

/** solve's text (with its header) for GLP's two-type example (γ_u = 0.6, γ_π = 0, r̄ = 0.7) at the given masses. */
async function glpText(mass: number[]): Promise<string> {
  const { solveIntermediation } = await import('../../src/checker/intermediation/index.js');
  const { validateScenario } = await import('../../src/scenario/index.js');
  type S = Parameters<typeof solveIntermediation>[0];
  const s = validateScenario({ name: 'glp', model: 'intermediation', types: [1, 2], mass, weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.7 }) as S;
  return formatIntermediation(await solveIntermediation(s), s);
}

describe('formatIntermediation: rounding tolerances in the masses\' unit', () => {
  it('GLP unraveling at masses (3e-9, 7e-9): the gap Wo = (1 + γ_u − 2r̄)·q̄₁ = 6e-10 is printed, not 0 (review)', async () => {
    const text = await glpText([3e-9, 7e-9]);
    expect(text).toMatch(/^reported equilibrium efficient: false \(gap 6\.00000e-10\)$/m);
  }, 60_000);
});

describe('formatIntermediation: what each remedy pays or charges', () => {
  it('GLP unraveling (γ_u = 0.6, q̄ = (0.3, 0.7), r̄ = 0.7, q° = (0.3, 0.3)): union payments, taxes and ranges, Lindahl prices', async () => {
    const text = await glpText([0.3, 0.7]);
    // by hand: p_U = −(q°/q̄)(U − r̄) + Wo/Σq̄ with U = (0, 1), Wo = 0.06: (0.7 + 0.06, −(3/7)·0.3 + 0.06)
    expect(text).toMatch(/^ {12}payments per member p_U = \(0\.760000, -0\.0685714\)$/m);
    // at the kink q° each p(ω) ∈ [0, γ_u] (one-sided derivatives of γ_u(TS − max(q1 + q2, 2q2))) and p₁ + p₂ = 0.6
    // (p·q° = V(q°) = 0.18); whichever vertex p* the LP gives, τ* = p* + U − r̄ with U = (0, 1) at the pooled q°
    const m = text.match(/^ {12}taxes τ\* = \((\S+), (\S+)\) at record prices p\* = \((\S+), (\S+)\); each p\(ω\) alone can range over \[0, 0\.600000\], \[0, 0\.600000\]$/m);
    expect(m).not.toBeNull();
    const [t1, t2, p1, p2] = (m as RegExpMatchArray).slice(1).map(Number);
    expect(p1 + p2).toBeCloseTo(0.6, 5);
    for (const p of [p1, p2]) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(0.6);
    }
    expect(t1).toBeCloseTo(p1 + 0 - 0.7, 5);
    expect(t2).toBeCloseTo(p2 + 1 - 0.7, 5);
    expect(text).toMatch(/^ {12}record prices p\*\* = \(/m);
  }, 60_000);
});

describe('formatIntermediation: what was solved and how (review: the leakage text said so, this one did not)', () => {
  it('the header names the scenario, its size and weights, the method, and the platforms in the order of q1, q2, …', () => {
    const r = { ...base, equilibriumSearch: { exact: true, method: 'the method', limits: {} } };
    const text = formatIntermediation(r, { name: 'm', types: [1, 2, 3], weights: { consumer: 0.6, merchant: 0 }, reservationUtility: 0.7 });
    expect(text.split('\n').slice(0, 3)).toEqual(['m: intermediation market, 3 types; single platform γ_u = 0.6, γ_π = 0, r̄ = 0.7', 'method: the method', '']);
    const mp = { designs: [], E1: { available: false }, E3: { available: false }, E2: { available: false, reason: 'x' } };
    const two = formatIntermediation({ ...r, multiPlatform: mp }, { name: 'g', types: [1], weights: { consumer: 1, merchant: 0 }, platforms: [{ name: 'A' }, {}] });
    expect(two).toMatch(/^g: intermediation market, 1 type; single platform γ_u = 1, γ_π = 0, r̄ = 0; 2 platforms \(Galperti–Perego: E1, E2, E3 at the end\)$/m);
    expect(two).toMatch(/^several platforms \(Galperti–Perego; q1, q2, … in this order\): A, platform 2$/m);
    // without a header (the body alone) nothing of it
    expect(formatIntermediation(r)).not.toMatch(/intermediation market|method:/);
  });
});

describe('formatIntermediation: E2 sets of two interior types (review: a ray and a cone printed as two more copies of one point)', () => {
  const e2 = (pair: Record<string, unknown>) => {
    const entry = { records: [0.16, 0.16], prices: [1, 0], priceIntervals: [{ lower: 1, upper: 1 }, { lower: 0, upper: 0 }], welfare: 0.72, pair };
    const mp = { designs: [], E1: { available: false }, E3: { available: false }, E2: { available: true, equilibria: [entry], secondBest: { welfare: 0.72 }, searched: { corners: true, oneInterior: true, severalInterior: true, twoInterior: true } } };
    return formatIntermediation({ ...base, multiPlatform: mp });
  };
  it('a ray: its ratio and where it starts', () => {
    expect(e2({ ratios: [1, 1], from: [1e-10, 1e-10] })).toMatch(/W = 0\.720000; types 0 and 1 interior on the ray q\(0\) = 1·q\(1\), from q = \(1\.00000e-10, 1\.00000e-10\) up to the box/);
  });
  it('a cone: its ratios, the last one open (null)', () => {
    expect(e2({ ratios: [0, 1] })).toMatch(/W = 0\.720000; types 0 and 1 interior: an up-set of the cone 0 ≤ q\(0\)\/q\(1\) ≤ 1 whose top is near this point/);
    expect(e2({ ratios: [2, null] })).toMatch(/cone 2 ≤ q\(0\)\/q\(1\) ≤ ∞/);
  });
});
