/**
 * The zero-type price rows of the segment lift (segmentFace.ts `liftedLp`: (g0 + Σ μ_j Δ_j)(ω) ≤ r̄ − U_off(ω)) on a
 * market where one of them decides S. Scans of random 3–5-type markets with the lift forced never had such a row
 * bind (dropping every zero row changed no result), so nothing caught a bug there.
 *
 * Market: types 1, 2, 3, 3.4, 4 (type 3.4 has a small mass, 0.1), fees 1, 2, 3, 4, γ = (1.5, 0), r̄ = 2.7. The face
 * for roles (zero, full, interior, zero, interior) has two pieces whose prices of type 3.4 are 0.6 and 5.1. Its
 * off-path surplus is 1.4 (fee 3), so its cap r̄ − U_off = 1.3 lies strictly inside [0.6, 5.1]: it allows only
 * μ ≤ 7/45. Without that row S = {s*}, s* ≈ 0.1988636 (35/176), where the interior types need μ = 5/12. With the row
 * S = ∅. So the row binds: it removes the one point and depends on μ (not only on the cap, as a row whose cap lies
 * outside the price range would).
 *
 * The lifted sets are checked on their own terms against the fixed-q support LP (`checkCandidate`, all of ∂V(q),
 * independent of the lift). At s* the support LP without type 3.4's condition (`supportLp`, `free`) is feasible, and
 * at s*·(1 ± 1e-6) it is not: the lift without the row gives the right set. With the condition, `checkCandidate`
 * fails at s* and everywhere on a grid: the lift with the row gives the right set too. With the row dropped, S
 * would claim s*, and the same membership check fails there (scratch: the mutation fails assertion (b)).
 */
import { describe, expect, it } from 'vitest';
import { highsSolver, solveOrNull } from '../../src/lp/index.js';
import { buildDesignLp, checkCandidate, exactEquilibria, offPathSurplus, supportLp, type PricingGame } from '../../src/model/intermediation/index.js';
import { segmentSet, type SegmentFace, type SegmentSet } from '../../src/model/intermediation/segmentFace.js';

const game: PricingGame = { types: [1, 2, 3, 3.4, 4], fees: [1, 2, 3, 4], gammaU: 1.5, gammaPi: 0 };
const qBar = [0.89, 0.3, 0.84, 0.1, 0.93];
const rbar = 2.7;
const ROLES = 'zero,full,interior,zero,interior';
/** The zero type whose row binds (value 3.4). */
const Z = 3;

const withoutCaps = (f: SegmentFace, which: (w: number) => boolean): SegmentFace => ({ ...f, offPath: f.offPath.map((u, w) => (f.roles[w] === 'zero' && which(w) ? -1e9 : u)) });

describe('segment lift: a zero-type price row that binds', () => {
  it('type 3.4 with its cap inside its price range removes the only point of S, as the fixed-q check confirms', async () => {
    const h = await highsSolver();
    const scale = Math.max(...qBar);
    const faces: Array<{ face: SegmentFace; set: SegmentSet }> = [];
    // the lift forced on every segment face (no certificate, no constant-record rule); the grid only serves faces
    // that are not lifted, so a coarse one keeps the test fast
    exactEquilibria(h, game, qBar, rbar, { gridPoints: 4, certify: false, fixConstant: false, onLift: (face, set) => faces.push({ face, set }) });
    const hit = faces.filter(({ face }) => face.roles.join() === ROLES && face.gs.length === 2 && face.gs.some((g) => Math.abs(g[Z] - 0.6) < 1e-9) && face.gs.some((g) => Math.abs(g[Z] - 5.1) < 1e-9) && face.hi[4] > 0.9);
    expect(hit.length).toBe(1);
    const { face, set } = hit[0];
    const at = (s: number) => face.lo.map((x, w) => x + s * (face.hi[w] - x));

    // the cap r̄ − U_off(3.4) = 1.3 lies strictly inside the price range [0.6, 5.1] of type 3.4 on the face
    const cap = face.rbar - face.offPath[Z];
    // (to 1e-10, the LP's feasibility tolerance; the consumer-best stage on the optimal face gives 1.4 + 1.5e-11)
    expect(face.offPath[Z]).toBeCloseTo(1.4, 10);
    expect(cap).toBeGreaterThan(0.6 + 0.5);
    expect(cap).toBeLessThan(5.1 - 0.5);

    // (a) the row binds: with it S = ∅; without it (alone, or with every zero cap) S = {s*}
    expect(set.components).toEqual([]);
    const noZ = segmentSet(h, withoutCaps(face, (w) => w === Z));
    const noZero = segmentSet(h, withoutCaps(face, () => true));
    expect(noZ?.components.length).toBe(1);
    expect(noZero?.components.length).toBe(1);
    noZero!.components[0].forEach((x, i) => expect(x).toBeCloseTo(noZ!.components[0][i], 12));
    const [from, to] = noZ!.components[0];
    expect(to - from).toBeLessThan(1e-12);
    const sStar = from;
    expect(sStar).toBeCloseTo(35 / 176, 9);
    // with every cap but type 3.4's kept, the set is still {s*}: it is type 3.4's row that removes it
    expect(segmentSet(h, withoutCaps(face, (w) => w !== Z))?.components).toEqual([]);

    // (b) independently of the lift, by the fixed-q support LP (all of ∂V(q), every optimal mechanism)
    // without type 3.4's condition: exactly s* (not s*·(1 ± 1e-6)) — the set of the lift without the row
    const freedFeasible = (s: number) => {
      const q = at(s);
      const V = h.solve(buildDesignLp(game, q)).objective;
      const off = q.map((x, w) => (x > 0 ? NaN : offPathSurplus(h, game, q, w, scale)));
      return [0, 1e-13, 1e-9].some((tol) => solveOrNull(h, supportLp(game, q, V, rbar, face.roles, off, Z, tol).lp) !== null);
    };
    expect(freedFeasible(sStar)).toBe(true);
    expect(freedFeasible(sStar * (1 - 1e-6))).toBe(false);
    expect(freedFeasible(sStar * (1 + 1e-6))).toBe(false);
    // with it: membership in the lifted set = the fixed-q verdict, at s*, next to it and on a grid
    const probes = [sStar, sStar * (1 - 1e-6), sStar * (1 + 1e-6), ...Array.from({ length: 17 }, (_, k) => k / 16)];
    for (const s of probes) {
      const inS = set.components.some(([a, b]) => s >= a - 1e-9 && s <= b + 1e-9);
      const eq = checkCandidate(h, game, at(s), rbar, face.roles, scale) !== null;
      expect(eq, `s = ${s}`).toBe(inS);
    }
  }, 20_000);
});
