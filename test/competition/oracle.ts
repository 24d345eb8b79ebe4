/**
 * Brute-force oracles for the competition tests, written independently of src/: leakage by ml-matrix
 * inverses straight from the definition I_i(A) = Σ[i,A](Σ[A,A] + τ²Id)⁻¹Σ[A,i], leave-one-out by a second
 * solve (not the precision identity), prices and payoffs from the papers' formulas as printed.
 */
import { Matrix, inverse } from 'ml-matrix';

export function leak(S: number[][], tau2: number, A: number[], i: number): number {
  if (A.length === 0) return 0;
  const M = new Matrix(A.map((r) => A.map((c) => S[r][c] + (r === c ? tau2 : 0))));
  const b = Matrix.columnVector(A.map((r) => S[i][r]));
  return b.transpose().mmul(inverse(M)).mmul(b).get(0, 0);
}

export const bits = (mask: number, n: number): number[] => [...Array(n).keys()].filter((i) => (mask >> i) & 1);

/** Larger set first, then lexicographically smaller index list (the documented tie rule). */
function better(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return a.length > b.length;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

/**
 * Platform with members J picks A ⊆ J maximising revenue from leakage minus least prices (AMMO Thm 1 + PAL eq. (5):
 * the α term over the rival's members `others` only — default every non-member, as when everyone joins).
 */
export function platformChoice(S: number[][], tau2: number, v: number[], J: number[], alpha: number, others?: number[]): number[] {
  const n = S.length;
  const cands: { A: number[]; val: number }[] = [];
  for (let m = 0; m < 2 ** J.length; m++) {
    const A = bits(m, J.length).map((k) => J[k]);
    let val = 0;
    for (let i = 0; i < n; i++) val += (J.includes(i) ? 1 : !others || others.includes(i) ? alpha : 0) * leak(S, tau2, A, i);
    for (const i of A) {
      val -= v[i] * (leak(S, tau2, A, i) - leak(S, tau2, A.filter((j) => j !== i), i));
    }
    cands.push({ A, val });
  }
  const max = Math.max(...cands.map((x) => x.val));
  let best: number[] | undefined;
  for (const x of cands) if (x.val >= max - 1e-9 * Math.max(1, Math.abs(max)) && (!best || better(x.A, best))) best = x.A;
  if (!best) throw new Error('no candidate');
  return best;
}

export interface OracleProfile {
  /** Platform per user; 0 joins neither (only with joining values c). */
  assignment: (0 | 1 | 2)[];
  sharers: [number[], number[]];
  payoffs: number[];
  surplus: number;
}

/**
 * Every joining profile with its payoffs (user pays attention to her own price, eq. (6) as printed): b ∈ {1,2}ⁿ,
 * or b ∈ {0,1,2}ⁿ with joining values c (PAL Def 1), a user outside getting −v_i α (I_i(A_1) + I_i(A_2)) (MODEL.md
 * B.9 item 22), which is also her part of the surplus. Indexed by Σ_i b_i·k^i, k = 2 (b − 1) or 3.
 */
export function allProfiles(S: number[][], tau2: number, v: number[], alpha: number, c?: (size: number) => number): OracleProfile[] {
  const n = S.length;
  const options: (0 | 1 | 2)[] = c ? [0, 1, 2] : [1, 2];
  const out: OracleProfile[] = [];
  for (let P = 0; P < options.length ** n; P++) {
    const assignment = [...Array(n).keys()].map((i) => options[Math.floor(P / options.length ** i) % options.length]);
    const J1 = [...Array(n).keys()].filter((i) => assignment[i] === 1);
    const J2 = [...Array(n).keys()].filter((i) => assignment[i] === 2);
    const A1 = platformChoice(S, tau2, v, J1, alpha, J2);
    const A2 = platformChoice(S, tau2, v, J2, alpha, J1);
    let surplus = 0;
    const payoffs = assignment.map((k, i) => {
      if (k === 0) {
        const u = -v[i] * alpha * (leak(S, tau2, A1, i) + leak(S, tau2, A2, i));
        surplus += u;
        return u;
      }
      const [A, Ao, J] = k === 1 ? [A1, A2, J1] : [A2, A1, J2];
      const I = leak(S, tau2, A, i);
      const Io = leak(S, tau2, Ao, i);
      const price = A.includes(i) ? v[i] * (I - leak(S, tau2, A.filter((j) => j !== i), i)) : 0;
      const cj = c ? c(J.length) : 0;
      surplus += (1 - v[i]) * (I + alpha * Io) + cj;
      return price - v[i] * I - v[i] * alpha * Io + cj;
    });
    out.push({ assignment, sharers: [A1, A2], payoffs, surplus });
  }
  return out;
}

/** Pure joining equilibria: no user gains by moving to another option (PAL Def 1; with c, joining neither too). */
export function pureEquilibria(S: number[][], tau2: number, v: number[], alpha: number, c?: (size: number) => number): OracleProfile[] {
  const n = S.length;
  const prof = allProfiles(S, tau2, v, alpha, c);
  const index = new Map(prof.map((p, k) => [p.assignment.join(''), k]));
  return prof.filter((p) =>
    [...Array(n).keys()].every((i) => {
      const u = p.payoffs[i];
      const tol = 1e-9 * Math.max(1, Math.abs(u));
      return (c ? [0, 1, 2] : [1, 2]).every((k) => {
        if (k === p.assignment[i]) return true;
        const moved = p.assignment.map((b, j) => (j === i ? k : b)).join('');
        return !(prof[index.get(moved) as number].payoffs[i] > u + tol);
      });
    }),
  );
}

/** Random PSD covariance B Bᵀ + εId. */
export function randomCovariance(n: number, rnd: () => number): number[][] {
  const B = [...Array(n)].map(() => [...Array(n)].map(() => rnd() * 2 - 1));
  return B.map((r, i) => B.map((_, j) => r.reduce((a, x, k) => a + x * B[j][k], 0) + (i === j ? 0.1 : 0)));
}

/** Full block covariance of a community structure. */
export function blockCovariance(sizes: number[], variance: number, within: number, across: number): number[][] {
  const block = sizes.flatMap((ng, g) => Array<number>(ng).fill(g));
  return block.map((g, i) => block.map((h, j) => (i === j ? variance : g === h ? within : across)));
}
