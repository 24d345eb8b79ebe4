/**
 * Leakage benchmark (`npm run bench -- leakage`): exact monopoly solver speed.
 *
 * - General Σ at n = 12, 16, 20: `solveGeneral` (Gray-code enumeration with rank-one inverse updates, all 2ⁿ
 *   sets, equilibrium and first best) against a naive solver that, for every subset A and every user i,
 *   factors Σ[A,A] + τ²Id afresh (Cholesky) to get I_i(A), and factors Σ[A∖{i},A∖{i}] + τ²Id for the price.
 *   The naive solver is timed on all subsets for n ≤ 16; at n = 20 it is timed on a random sample of
 *   subsets and extrapolated linearly to 2ⁿ (reported as such).
 * - Communities, n = 10,000 in 2, 3 and 5 blocks: the exact branch and bound (`solveCommunities`, method
 *   'branch-and-bound'), with the number of count vectors it evaluated; plain enumeration of all count
 *   vectors is timed per vector on a small instance and extrapolated to Π(n_g + 1) (reported as such).
 * - Peak memory: process maximum resident set size (getrusage).
 */
import seedrandom from 'seedrandom';
import { solveCommunities, solveGeneral } from '../src/checker/leakage/monopoly.js';
import { choleskyInPlace } from '../src/model/linalg.js';
import type { Communities } from '../src/scenario/schema.js';

type Rng = () => number;

/** Random PSD covariance B Bᵀ/r + 0.2·Id with r = n/2 factors (well conditioned, correlated). */
function randomSigma(n: number, rng: Rng): number[][] {
  const r = Math.max(1, n >> 1);
  const B = Array.from({ length: n }, () => Array.from({ length: r }, () => rng() * 2 - 1));
  return B.map((bi, i) => B.map((bj, j) => bi.reduce((s, x, k) => s + x * bj[k], 0) / r + (i === j ? 0.2 : 0)));
}

/** I_i(A) by a fresh Cholesky factorisation of Σ[A,A] + τ²Id (the naive per-user solve). */
function naiveLeak(S: number[][], tau2: number, A: readonly number[], i: number, buf: Float64Array): number {
  const k = A.length;
  if (k === 0) return 0;
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) buf[r * k + c] = S[A[r]][A[c]] + (r === c ? tau2 : 0);
  if (!choleskyInPlace(buf, k)) throw new Error('not PD');
  // ‖L⁻¹ b‖² with b = Σ[A,i].
  let s = 0;
  const y = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    let t = S[A[r]][i];
    for (let p = 0; p < r; p++) t -= buf[r * k + p] * y[p];
    y[r] = t / buf[r * k + r];
    s += y[r] * y[r];
  }
  return s;
}

/** Φ and SS of one subset the naive way: n + |A| factorisations. */
function naiveSet(S: number[][], tau2: number, v: readonly number[], mask: number, buf: Float64Array): { phi: number; ss: number } {
  const n = S.length;
  const A: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) A.push(i);
  let phi = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const I = naiveLeak(S, tau2, A, i, buf);
    ss += (1 - v[i]) * I;
    phi += I;
    if (mask & (1 << i)) phi -= v[i] * (I - naiveLeak(S, tau2, A.filter((j) => j !== i), i, buf));
  }
  return { phi, ss };
}

/** Naive exact solve over all subsets (returns the argmax of Φ so the two solvers can be compared). */
function naiveAll(S: number[][], tau2: number, v: readonly number[]): number {
  const n = S.length;
  const buf = new Float64Array(n * n);
  let best = -Infinity;
  let arg = 0;
  for (let m = 0; m < 2 ** n; m++) {
    const { phi } = naiveSet(S, tau2, v, m, buf);
    if (phi > best) {
      best = phi;
      arg = m;
    }
  }
  return arg;
}

const time = <T>(f: () => T): { seconds: number; result: T } => {
  const t0 = performance.now();
  const result = f();
  return { seconds: (performance.now() - t0) / 1000, result };
};
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export async function benchLeakage(): Promise<Record<string, unknown>> {
  const rng = seedrandom('bench-leakage-1');
  const general: Record<string, unknown>[] = [];
  for (const n of [12, 16, 20]) {
    const S = randomSigma(n, rng);
    const v = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0.6 : 1 + 2 * rng()));
    const exact = time(() => solveGeneral(S, 1, v));
    let naiveSeconds: number;
    let naiveNote: string;
    let agrees: boolean | null = null;
    if (n <= 16) {
      const t = time(() => naiveAll(S, 1, v));
      naiveSeconds = t.seconds;
      naiveNote = 'timed on all subsets';
      const mask = exact.result.equilibrium.sharers.reduce((m, i) => m | (1 << i), 0);
      agrees = t.result === mask;
    } else {
      const sample = 20_000;
      const buf = new Float64Array(n * n);
      const t = time(() => {
        for (let k = 0; k < sample; k++) naiveSet(S, 1, v, Math.floor(rng() * 2 ** n), buf);
      });
      naiveSeconds = (t.seconds / sample) * 2 ** n;
      naiveNote = `extrapolated from ${sample} random subsets (${((t.seconds / sample) * 1e6).toFixed(2)} µs per subset) to 2^${n}`;
    }
    general.push({
      n,
      sets: 2 ** n,
      exactSeconds: exact.seconds,
      naiveSeconds,
      naiveNote,
      speedup: naiveSeconds / exact.seconds,
      nsPerSetExact: (exact.seconds / 2 ** n) * 1e9,
      sameEquilibriumAsNaive: agrees,
      peakRssBytes: peakRss(),
    });
  }

  const communityCases: { name: string; c: Communities; v: number[] }[] = [
    { name: '2 blocks, weak correlation', c: { sizes: [6000, 4000], variance: 1, within: 0.002, across: 0.0005 }, v: [0.8, 2.5] },
    { name: '2 blocks, strong correlation', c: { sizes: [6000, 4000], variance: 1, within: 0.05, across: 0.01 }, v: [0.8, 2.5] },
    { name: '3 blocks, weak (sims default before)', c: { sizes: [4000, 3000, 3000], variance: 1, within: 0.002, across: 0.0005 }, v: [0.8, 2.5, 1.5] },
    { name: '3 blocks, sims/communities-10k.json', c: { sizes: [4000, 3000, 3000], variance: 1, within: 0.05, across: 0.01 }, v: [0.8, 2.5, 1.5] },
    { name: '3 blocks, all v > 1, interior optimum', c: { sizes: [4000, 3000, 3000], variance: 1, within: 0.05, across: 0.01 }, v: [1.3, 2.5, 1.5] },
    { name: '5 blocks, weak', c: { sizes: [2000, 2000, 2000, 2000, 2000], variance: 1, within: 0.002, across: 0.0005 }, v: [0.8, 1.2, 1.5, 2.5, 4] },
    { name: '5 blocks, strong, 3 free blocks', c: { sizes: [2000, 2000, 2000, 2000, 2000], variance: 1, within: 0.05, across: 0.01 }, v: [0.5, 0.9, 1.5, 2.5, 4] },
    { name: '5 blocks, strong, 4 free blocks (worst case)', c: { sizes: [2000, 2000, 2000, 2000, 2000], variance: 1, within: 0.05, across: 0.01 }, v: [0.8, 1.2, 1.5, 2.5, 4] },
  ];
  // Plain enumeration rate, measured on [100, 100, 100] (10⁶ vectors) and applied to the 10k cases.
  const small: Communities = { sizes: [100, 100, 100], variance: 1, within: 0.05, across: 0.01 };
  const enumTime = time(() => solveCommunities(small, 1, [1.3, 2.5, 1.5], { method: 'enumerate' }));
  const bnbSmall = time(() => solveCommunities(small, 1, [1.3, 2.5, 1.5], { method: 'branch-and-bound' }));
  const nsPerVector = (enumTime.seconds / 101 ** 3) * 1e9;
  const communities: Record<string, unknown>[] = [];
  for (const k of communityCases) {
    const t = time(() => solveCommunities(k.c, 1, k.v, { method: 'branch-and-bound' }));
    const vectors = k.c.sizes.reduce((p, ng) => p * (ng + 1), 1);
    communities.push({
      name: k.name,
      sizes: k.c.sizes,
      within: k.c.within,
      across: k.c.across,
      v: k.v,
      seconds: t.seconds,
      vectorsEvaluated: Number(/(\d+) vectors evaluated/.exec(t.result.method)?.[1] ?? NaN),
      countVectors: vectors,
      enumerationSecondsExtrapolated: (vectors * nsPerVector) / 1e9,
      equilibrium: t.result.equilibrium.sharersByCommunity,
      firstBest: t.result.firstBest.sharersByCommunity,
      peakRssBytes: peakRss(),
    });
  }

  const summary: Record<string, Record<string, string>> = {};
  for (const g of general) {
    summary[`general n=${g.n}`] = {
      exact: `${(g.exactSeconds as number).toFixed(3)} s`,
      naive: `${(g.naiveSeconds as number).toPrecision(3)} s${(g.n as number) > 16 ? ' (extrapolated)' : ''}`,
      ratio: `${(g.speedup as number).toFixed(0)}×`,
    };
  }
  for (const c of communities) {
    summary[`n=10k ${c.name}`] = {
      exact: `${(c.seconds as number).toFixed(3)} s`,
      naive: `${(c.enumerationSecondsExtrapolated as number).toExponential(2)} s (enumeration, extrapolated)`,
      ratio: `${((c.enumerationSecondsExtrapolated as number) / (c.seconds as number)).toExponential(1)}×`,
    };
  }
  summary['peak RSS'] = { exact: `${(peakRss() / 2 ** 20).toFixed(0)} MiB`, naive: '', ratio: '' };
  return {
    general,
    communityEnumeration: {
      instance: small,
      v: [1.3, 2.5, 1.5],
      enumerationSeconds: enumTime.seconds,
      branchAndBoundSeconds: bnbSmall.seconds,
      nsPerVector,
      sameAnswer:
        JSON.stringify(enumTime.result.equilibrium.ties) === JSON.stringify(bnbSmall.result.equilibrium.ties) &&
        JSON.stringify(enumTime.result.firstBest.ties) === JSON.stringify(bnbSmall.result.firstBest.ties),
    },
    communities,
    peakRssBytes: peakRss(),
    summary,
  };
}
