/** Brute-force helpers for the E2 tests: the selection of e2.ts written again, on any backend (stages as rows). */
import type { LinearProgram, LpSolver } from '../../src/lp/index.js';
import { buildDesignLp } from '../../src/model/intermediation/designLp.js';
import type { E2Market } from '../../src/model/intermediation/index.js';
import { designLpAt, type PlatformDesign } from '../../src/model/intermediation/platformDesign.js';

/** (U, H per type) with the selection of e2.ts, written independently: stages on the given backend. */
export function bruteE2Payoffs(s: LpSolver, m: E2Market, q: number[]): { U: number; H: number[] } {
  const lp = buildDesignLp(m.game, q);
  const g = m.game.fees.flatMap((a) => m.game.types.map((w, k) => m.buyerWeights[k] * Math.max(w - a, 0)));
  return stages(s, lp, lp.cost, g, q);
}

/** The same for any platform design (several merchants: platformDesign.ts), on its LP at q. */
export function bruteDesignPayoffs(s: LpSolver, d: PlatformDesign, q: number[]): { U: number; H: number[] } {
  return stages(s, designLpAt(d, q), d.u, d.g, q);
}

/** Platform-optimal, then buyer-best in aggregate, then each type's own payoff in type order (stages as rows). */
function stages(s: LpSolver, lp: LinearProgram, u: number[], g: number[], q: number[]): { U: number; H: number[] } {
  const N = q.length;
  const rows = [...lp.rows];
  const stage = (c: number[]) => {
    // a zero objective is 0 and binds nothing (javascript-lp-solver cycled on one: a type with β(ω) = 0 on a
    // two-merchant design)
    if (c.every((x) => x === 0)) return 0;
    const r = s.solve({ ...lp, cost: c, rows });
    rows.push({ indices: c.map((_, j) => j), values: c, lower: r.objective - 1e-9, upper: Infinity });
    return r.objective;
  };
  const U = stage(u);
  stage(g);
  const H = q.map((x, w) => (x > 0 ? stage(g.map((c, j) => (j % N === w ? c : 0))) : 0));
  return { U, H };
}

/**
 * Violations of GP's Definition 2 at (q, p) found on a grid: the platform's profit U(q') − ⟨p, q'⟩ above its value
 * at q on the grid of `steps` per type, or a representative buyer's φ(t) = r(q̄ − t) + H(t) + p t above φ(q(ω)).
 */
export function bruteE2Violations(s: LpSolver, m: E2Market, q: number[], p: number[], steps: number, tol = 1e-7): string[] {
  return bruteViolations((x) => bruteE2Payoffs(s, m, x), m.qBar, m.keepValue, q, p, steps, tol);
}

/** `bruteE2Violations` for one platform of any design (`pay`: its (U, H) at q). */
export function bruteViolations(pay: (q: number[]) => { U: number; H: number[] }, qBar: number[], keepValue: number[], q: number[], p: number[], steps: number, tol = 1e-7): string[] {
  const N = q.length;
  const out: string[] = [];
  const here = pay(q);
  const profit = here.U - p.reduce((a, x, w) => a + x * q[w], 0);
  if (Math.abs(profit) > tol) out.push(`platform profit ${profit} at q`);
  const grid = (k: number): number[][] => (k === N ? [[]] : grid(k + 1).flatMap((rest) => Array.from({ length: steps + 1 }, (_, i) => [(qBar[k] * i) / steps, ...rest])));
  for (const q2 of grid(0)) {
    const pr = pay(q2).U - p.reduce((a, x, w) => a + x * q2[w], 0);
    if (pr > profit + tol) out.push(`platform prefers ${q2.join()} (${pr} > ${profit})`);
  }
  for (let w = 0; w < N; w++) {
    const phi = (t: number, H: number) => keepValue[w] * (qBar[w] - t) + H + p[w] * t;
    const best = phi(q[w], here.H[w]);
    for (let k = 0; k <= steps; k++) {
      const t = (qBar[w] * k) / steps;
      const v = phi(t, pay(q.map((x, j) => (j === w ? t : x))).H[w]);
      if (v > best + tol) out.push(`buyer ${w} prefers ${t} (${v} > ${best})`);
    }
  }
  return out;
}
