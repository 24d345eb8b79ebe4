/**
 * HiGHS status "unknown" (src/lp/highs.ts `run`): the fixture is an equilibrium support LP (checkCandidate at
 * tolerance 0, 3 types, fees 0.5/1.5/2.5/3, γ = (0.6, 0.5), q̄ = (0.2, 0.4, 0.4), r̄ = 1) on which HiGHS at
 * 1e-10 tolerances ends "unknown" with and without presolve; at 1e-7 it ends optimal with a point violating a
 * row by more than 1e-9. The solver must give a typed verdict, never LpSolverError, and the markets whose
 * solve used to abort with "highs: the solver failed (status: unknown)" now solve.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highsSolver, LpInfeasibleError, type LinearProgram, type LpSolver } from '../../src/lp/index.js';
import { maxResidual } from '../../src/lp/highs.js';
import { solveIntermediation } from '../../src/checker/intermediation/index.js';
import { validateScenario, type IntermediationScenario } from '../../src/scenario/index.js';

const fixture = (): LinearProgram =>
  JSON.parse(readFileSync(new URL('./fixtures/highs-unknown-status.json', import.meta.url), 'utf8'), (_, v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as LinearProgram;
const retries = (s: LpSolver) => (s as unknown as { stats: { retries: number } }).stats.retries;

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
