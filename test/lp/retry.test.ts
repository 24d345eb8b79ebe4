/**
 * HiGHS status "unknown" (src/lp/highs.ts `run`): the fixture is an equilibrium support LP (checkCandidate at
 * tolerance 0, 3 types, fees 0.5/1.5/2.5/3, γ = (0.6, 0.5), q̄ = (0.2, 0.4, 0.4), r̄ = 1) on which HiGHS at
 * 1e-10 tolerances ends "unknown" with and without presolve; at 1e-7 it ends optimal with a point violating a
 * row by more than 1e-9. The solver must give a typed verdict, never LpSolverError, and the markets whose
 * solve used to abort with "highs: the solver failed (status: unknown)" now solve.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highsSolver, jsLpSolver, LpInfeasibleError, LpSolverError, type LinearProgram, type LpSolver } from '../../src/lp/index.js';
import { LOOSE_RESIDUAL_TOL, maxResidual } from '../../src/lp/highs.js';
import { checkCandidate, findEquilibria } from '../../src/model/intermediation/index.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const fixture = (name = 'highs-unknown-status'): LinearProgram =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'), (_, v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as LinearProgram;
const stats = (s: LpSolver) => (s as unknown as { stats: { retries: number; looseOptima: number } }).stats;
const retries = (s: LpSolver) => stats(s).retries;

describe('HiGHS status "unknown"', () => {
  it('is retried without presolve, then at default tolerances with our residual check: a typed verdict', async () => {
    const h = await highsSolver();
    const lp = fixture();
    const before = retries(h);
    let verdict: string;
    try {
      const r = h.solve(lp);
      expect(maxResidual(lp, lp.rows.map((row) => [row.lower, row.upper]), r.x)).toBeLessThanOrEqual(1e-9);
      verdict = 'optimal';
    } catch (e) {
      expect(e).toBeInstanceOf(LpInfeasibleError);
      verdict = 'infeasible';
    }
    expect(retries(h)).toBe(before + 1);
    expect(verdict).toBe('infeasible');
  });

  it('a support LP feasible only near 1e-7 (6 types): "unknown" through every step with presolve, optimal without it', async () => {
    // test/lp/fixtures/highs-unknown-loose.json: checkCandidate's EQ_TOL-relaxed LP at a grid point of a bilinear
    // face (types 1…6, γ = (2, 0), q̄ = (0.05, 0.135, 0.651, 0.942, 1.018, 0.24), r̄ = 2.5); javascript-lp-solver
    // calls it infeasible at its own tolerance, HiGHS finds a point within 1e-7 without presolve
    const h = await highsSolver();
    const lp = fixture('highs-unknown-loose');
    const before = { ...stats(h) };
    const r = h.solve(lp);
    expect(maxResidual(lp, lp.rows.map((row) => [row.lower, row.upper]), r.x)).toBeLessThanOrEqual(LOOSE_RESIDUAL_TOL);
    expect(stats(h).retries).toBe(before.retries + 1);
    expect(stats(h).looseOptima).toBe(before.looseOptima + 1);
    expect(() => jsLpSolver().solve(lp)).toThrow(LpInfeasibleError);
  });

  it('checkCandidate: a solver failure on a tighter LP moves on to the looser one; a failure on every one is thrown', async () => {
    const h = await highsSolver();
    const game = { types: [1, 2], fees: [1, 2], gammaU: 0.6, gammaPi: 0 };
    // an equilibrium of the GLP example (r̄ = 0.5), from the search
    const found = findEquilibria(h, game, [0.3, 0.7], 0.5).equilibria[0];
    const { records: q, roles } = found;
    const truth = checkCandidate(h, game, q, 0.5, roles, 0.7);
    expect(truth).not.toBeNull();
    // a solver failing on the support LPs (the ones with a price column per type beyond X) but not on V(q)
    const failing = (n: number): LpSolver => {
      let failed = 0;
      return {
        name: h.name,
        providesDuals: true,
        solve: (lp, o) => {
          if (lp.cost.length > game.fees.length * 2 && failed < n) {
            failed++;
            throw new LpSolverError('failing', 'unknown');
          }
          return h.solve(lp, o);
        },
        solveEach: (lp, v, o) => h.solveEach(lp, v, o),
      };
    };
    const once = checkCandidate(failing(1), game, q, 0.5, roles, 0.7);
    expect(once?.records).toEqual(truth?.records);
    expect(once?.welfare).toBeCloseTo(truth?.welfare ?? NaN, 9);
    expect(() => checkCandidate(failing(3), game, q, 0.5, roles, 0.7)).toThrow(LpSolverError);
  });

  it('maxResidual: relative violation of rows and bounds (hand-computed)', () => {
    const lp: LinearProgram = { sense: 'max', cost: [0, 0], colLower: [0, 0], colUpper: [1, Infinity], rows: [{ indices: [0, 1], values: [1, 2], lower: 3, upper: 3 }] };
    expect(maxResidual(lp, [[3, 3]], [1, 1])).toBe(0);
    expect(maxResidual(lp, [[3, 3]], [1, 1.5])).toBeCloseTo(1 / 3, 12); // row 4 vs 3: (4 − 3)/3
    expect(maxResidual(lp, [[3, 3]], [1.5, 0.75])).toBeCloseTo(0.5, 12); // x0 = 1.5 > 1: 0.5
  });

  it('markets that aborted with status "unknown" solve, exactly', async () => {
    for (const [fees, gamma, mass, rbar] of [
      [[0.5, 1.5, 2.5, 3], [1.7, 0.5], [0.5, 1, 1], 2.1],
      [[0.5, 1.5, 2.5, 3], [1, 0.3], [0.4, 0.7, 0.1], 1.4],
      [[0.5, 1.5, 2.5, 3], [0.6, 0.5], [0.2, 0.4, 0.4], 1],
    ] as const) {
      const s = validateScenario({ name: 'x', model: 'intermediation', types: [1, 2, 3], fees, mass, weights: { consumer: gamma[0], merchant: gamma[1] }, reservationUtility: rbar }) as IntermediationScenario;
      const r = await solveIntermediation(s);
      expect(r.equilibriumSearch).toMatchObject({ exact: true });
    }
  });
});
