/**
 * The infeasibility proof by bound propagation (boundProof.ts) that spares HiGHS's second solve of an LP its presolve
 * called infeasible. Laws: it never proves an LP with a point that meets every row and bound to within 1e-10
 * (soundness, on random LPs built around such a point), and whatever it proves, both backends find infeasible. Hand cases show what it is for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver, LpInfeasibleError, type LinearProgram, type LpRow, type LpSolver } from '../../src/lp/index.js';
import { provedInfeasible } from '../../src/lp/boundProof.js';

const boundsOf = (lp: LinearProgram) => lp.rows.map((r): [number, number] => [r.lower, r.upper]);
const proved = (lp: LinearProgram) => provedInfeasible(lp, boundsOf(lp));
const lp2 = (rows: LpRow[], colLower = [0, 0], colUpper = [Infinity, Infinity]): LinearProgram => ({ sense: 'max', cost: [0, 0], colLower, colUpper, rows });

const infeasible = (s: LpSolver, lp: LinearProgram, confirmInfeasible = true) => {
  try {
    s.solve(lp, { confirmInfeasible });
    return false;
  } catch (e) {
    if (e instanceof LpInfeasibleError) return true;
    throw e;
  }
};

describe('provedInfeasible: hand cases', () => {
  it('proves x + y ≤ 1 with x, y ≥ 0.6 (one row, the bounds), and y ≥ 0.6, x ≥ 0.6 − … through a chain of rows', () => {
    expect(proved(lp2([{ indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 1 }], [0.6, 0.6]))).toBe(true);
    // x ≥ 0.6 only through x − y ≥ 0.5 and y ≥ 0.1: a second row's propagation is needed
    const chain = lp2([
      { indices: [0, 1], values: [1, -1], lower: 0.5, upper: Infinity },
      { indices: [1], values: [1], lower: 0.1, upper: Infinity },
      { indices: [0], values: [1], lower: -Infinity, upper: 0.59 },
    ]);
    expect(proved(chain)).toBe(true);
    expect(proved({ ...chain, rows: chain.rows.map((r, i) => (i === 2 ? { ...r, upper: 0.6 } : r)) })).toBe(false);
  });

  it('does not prove what holds within the tolerance (x ≤ 0 and x ≥ 1e-10), nor a feasible LP with free columns', () => {
    expect(proved(lp2([{ indices: [0], values: [1], lower: 1e-10, upper: 0 }], [-Infinity, -Infinity]))).toBe(false);
    expect(proved(lp2([{ indices: [0], values: [1], lower: 1e-6, upper: 0 }], [-Infinity, -Infinity]))).toBe(true);
    // x − y = 3, x + y = 1 (x = 2, y = −1), both free: nothing to propagate from
    const free = lp2(
      [
        { indices: [0, 1], values: [1, -1], lower: 3, upper: 3 },
        { indices: [0, 1], values: [1, 1], lower: 1, upper: 1 },
      ],
      [-Infinity, -Infinity],
    );
    expect(proved(free)).toBe(false);
  });

  it('a proof spares HiGHS its re-solve without presolve (stats), and the verdict is infeasible', async () => {
    const h = await highsSolver();
    const stats = (h as unknown as { stats: { presolveRechecks: number; provedInfeasible: number } }).stats;
    const before = { ...stats };
    const lp = lp2([{ indices: [0, 1], values: [1, 1], lower: -Infinity, upper: 1 }], [0.6, 0.6]);
    expect(infeasible(h, lp)).toBe(true);
    expect(stats.provedInfeasible).toBe(before.provedInfeasible + 1);
    expect(stats.presolveRechecks).toBe(before.presolveRechecks);
  });
});

describe('provedInfeasible: laws on random LPs', () => {
  const coef = fc.integer({ min: -4, max: 4 });
  const value = fc.integer({ min: -20, max: 20 }).map((k) => k / 4);

  it('never proves an LP that has a point (rows and bounds built around it, some exactly tight, some 1e-10 off)', () => {
    const row = fc.record({ a: fc.array(coef, { minLength: 3, maxLength: 3 }), below: fc.nat(3), above: fc.nat(3), kind: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(value, { minLength: 3, maxLength: 3 }), fc.array(row, { minLength: 1, maxLength: 6 }), fc.nat(3), fc.boolean(), (x0, rs, colKind, off) => {
        const nudge = off ? 1e-10 : 0;
        const rows: LpRow[] = rs.map(({ a, below, above, kind }) => {
          const ax = a.reduce((s, c, j) => s + c * x0[j], 0);
          // kind 0: equality at the point (nudged), 1: ≤, 2: ≥, 3: a range around it
          const lower = kind === 1 ? -Infinity : ax - (kind === 0 ? 0 : below) + nudge;
          const upper = kind === 2 ? Infinity : ax + (kind === 0 ? 0 : above) - (kind === 0 ? 0 : nudge);
          return { indices: [0, 1, 2], values: a, lower, upper: Math.max(upper, kind === 0 ? lower : upper) };
        });
        const colLower = x0.map((x) => (colKind === 0 ? -Infinity : colKind === 1 ? x + nudge : x - 1));
        const colUpper = x0.map((x) => (colKind === 2 ? x : x + 2));
        const lp: LinearProgram = { sense: 'max', cost: [0, 0, 0], colLower, colUpper, rows };
        expect(proved(lp)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('what it proves, javascript-lp-solver and HiGHS find infeasible; it proves a share of the infeasible ones', async () => {
    const h = await highsSolver();
    const js = jsLpSolver();
    const row = fc.record({ a: fc.array(coef, { minLength: 2, maxLength: 2 }), lo: value, width: fc.nat(8), kind: fc.nat(2) });
    let provedCount = 0;
    let infeasibleCount = 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), fc.array(value, { minLength: 2, maxLength: 2 }), (rs, lower) => {
        const rows: LpRow[] = rs.map(({ a, lo, width, kind }) => ({
          indices: [0, 1],
          values: a,
          lower: kind === 1 ? -Infinity : lo,
          upper: kind === 2 ? Infinity : lo + width / 4,
        }));
        const lp: LinearProgram = { sense: 'max', cost: [0, 0], colLower: lower, colUpper: lower.map((x) => x + 3), rows };
        const p = proved(lp);
        // HiGHS's own verdict: unconfirmed, since the confirming path consults the proof
        const hInf = infeasible(h, lp, false);
        const jsInf = infeasible(js, lp);
        if (hInf) infeasibleCount++;
        if (p) {
          provedCount++;
          expect(hInf).toBe(true);
          expect(jsInf).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    expect(infeasibleCount).toBeGreaterThan(20);
    expect(provedCount).toBeGreaterThan(infeasibleCount / 4);
  });
});
