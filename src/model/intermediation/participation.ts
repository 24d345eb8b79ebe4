/**
 * Consumers' side (GLP condition (c); MODEL.md A.3.1-A.3.2): atomistic consumers take the record price
 * p(ω) and the mechanism x* as given and compare G(ω) = p(ω) + U(ω, x*) with r̄.
 */
import type { LpSolver } from '../../lp/index.js';
import { buildDesignLp } from './designLp.js';
import { massUnit } from './massUnit.js';
import { faceRange, newFaceCache } from './lexicographic.js';
import { consumerBestDesign } from './value.js';
import { consumerSurplus, type PricingGame } from './payoffs.js';
import type { Role } from './equilibrium.js';

/** Relative size ε of the vanishing mass used for the off-path convention (the first one tried). */
export const OFF_PATH_EPS = 1e-6;
/** At most this many smaller ε are tried when the first one is past a kink (`offPathMechanism`). */
const OFF_PATH_SHRINKS = 12;
/** A face of the selection that holds down to this mass (relative to the scale) holds as ε → 0+. */
const OFF_PATH_FLOOR = 1e-12;
/** Without a face, ε is divided by a thousand until the surplus stays the same (`offPathMechanism`). */
const OFF_PATH_NO_FACE_STEP = 1e-3;

/**
 * Bounds on the off-path surplus U_off(ω), valid at every q: it is an average of u(·, ω) under a fee distribution
 * x(·|ω), so it lies in [min_a u(a, ω), max_a u(a, ω)]. Where a decision holds at both ends (a support LP infeasible
 * even with the lower one; a corner's response the same at both) the surplus itself — one or more lexicographic
 * design LPs per unsold type, most of a large market's search — is not needed.
 */
export function offPathBounds(game: PricingGame, w: number): { lower: number; upper: number } {
  const u = game.fees.map((a) => consumerSurplus(a, game.types[w]));
  return { lower: Math.min(...u), upper: Math.max(...u) };
}

/** `offPathBounds`' lower end for each type whose role is zero (NaN for the others). */
export function offPathLowerBound(game: PricingGame, roles: readonly Role[]): number[] {
  return roles.map((r, w) => (r === 'zero' ? offPathBounds(game, w).lower : NaN));
}

/**
 * Off-path U(ω, x*) for a type with q(ω) = 0 (MODEL.md A.8 item 8): the surplus a vanishing mass ε of
 * ω-records would get under the platform-optimal mechanism at q + ε·e_ω that is best for those records.
 * V is piecewise linear, so the value is the limit ε → 0+ once ε is below the first kink.
 */
export function offPathSurplus(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, w: number, scale: number): number {
  // every fee gives ω the same surplus (e.g. no fee below its value): so does any average of them, with no LP and
  // nothing left unproven — at degenerate points of a bilinear face the limit's face was not kept and the value
  // came from the repeat check (types 1, 2, 3, 3.4, 4, fees 1…4: u(·, 1) ≡ 0)
  const { lower, upper } = offPathBounds(game, w);
  if (lower === upper) return lower;
  return offPathMechanism(solver, game, q, w, scale).surplus;
}

/**
 * The off-path conditional mechanism x(·|ω) (per fee) and its U(ω) for a type with q(ω) = 0. The selection at
 * q + ε·e_ω (platform-optimal, then best for ω's records) is computed on its optimal face (lexicographic.ts), and
 * that face's range along the segment to q (`faceRange`) says whether it stays optimal all the way to ε → 0+: then
 * x(·|ω) is the limit exactly. If not, ε moves inside the next piece (below the range's end) and the selection is
 * solved again. ε = 1e-6·scale alone was past a kink where another type's mass is tiny (types and fees 4, 7, 10,
 * γ = (2, 1.5), q = (1e-7, 0, 0.61): 0.197 for the limit 3 — records of 7 can share the 4-records' segment only
 * while ε ≤ (4/3)·1e-7; review). Without a kept face (ill-conditioned, or the solver's point at a degenerate vertex
 * whose held rows do not all stay held along the segment) ε is divided by a thousand until a face is kept or the
 * surplus repeats, at most down to OFF_PATH_FLOOR·scale: the latter a check, not a proof. (A record of ~1e-9·scale
 * elsewhere was enough before faces were also pinned at a tighter vertex tolerance, lexicographic.ts VERTEX_TOLS:
 * 135 of 1,155 zero-mass types on 2,400 random markets with masses down to 1e-9 ended by the check then, none
 * now, with the same values.)
 */
export function offPathMechanism(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, w: number, scale: number): { surplus: number; conditional: number[] } {
  // x(·|ω) and U(ω) are homogeneous of degree 0 in q: solved at q/σ (massUnit.ts), as the LPs' tolerances are
  // absolute at masses of order 1 — an agent's platform passed masses of 1e-4, ε = 1e-10 fell below them, and at
  // q = 0 types 2 and 3 of 1, 2, 3 got U = 0.667 and 1 for the 0 a segment of their own gives (review)
  const sigma = massUnit([scale]);
  if (sigma !== 1) return offPathMechanism(solver, game, Array.from(q, (x) => x / sigma), w, scale / sigma);
  const weight = game.types.map((_, k) => (k === w ? 1 : 0));
  const at0 = buildDesignLp(game, q);
  let eps = OFF_PATH_EPS * scale;
  let at = conditionalAt(solver, game, q, w, weight, eps);
  // the surplus at the last ε tried without a face (null after a face said where to go)
  let unchecked: number | null = null;
  let proven = false;
  for (let k = 0; k < OFF_PATH_SHRINKS; k++) {
    // s = 0 at q + ε·e_ω, s = 1 at q: the face holds on [.., hi]
    const range = faceRange(at.faces.cache, at.faces.family, buildDesignLp(game, shifted(q, w, eps)), at0);
    if (range) {
      // the face holds down to the mass ε·(1 − hi): accepted as the limit once that is below OFF_PATH_FLOOR·scale
      // (the range's end is a ratio with an error of ~1e-16·scale/ε: at ε = 2e-8, scale 0.61 it ended 5e-9 short of 1)
      if (eps * (1 - range[1]) <= OFF_PATH_FLOOR * scale) {
        proven = true;
        break;
      }
      eps *= (1 - range[1]) / 2;
      unchecked = null;
    } else {
      // no face kept, or none whose held rows stay held toward q: the value is taken once a thousand times smaller ε
      // gives the same — not a proof, as the face's range is — down to OFF_PATH_FLOOR·scale
      if (unchecked !== null && Math.abs(at.surplus - unchecked) <= 1e-9 * Math.max(1, Math.abs(at.surplus))) break;
      if (eps <= OFF_PATH_FLOOR * scale) break;
      unchecked = at.surplus;
      eps = Math.max(eps * OFF_PATH_NO_FACE_STEP, OFF_PATH_FLOOR * scale);
    }
    at = conditionalAt(solver, game, q, w, weight, eps);
  }
  if (!proven) unprovenLimits++;
  return { surplus: at.surplus, conditional: at.conditional };
}

/**
 * How many off-path values so far were taken without a face proving the limit (the repeat check, the ε floor or
 * the last shrink): a running count in this process, read before and after a computation (the exact search's
 * `offPathUnproven`, which makes it not exact). A count, not a parameter, because the values are computed deep
 * inside checkCandidate and the search's face LPs; the searches are synchronous, so nothing else runs between.
 */
let unprovenLimits = 0;
export function offPathUnprovenCount(): number {
  return unprovenLimits;
}

/** The consumer-best selection at q + ε·e_ω (its face kept, when it can be) and ω's conditional and surplus there. */
function conditionalAt(solver: LpSolver, game: PricingGame, q: ArrayLike<number>, w: number, weight: number[], eps: number) {
  const faces = { cache: newFaceCache(), family: 'off-path' };
  const d = consumerBestDesign(solver, game, shifted(q, w, eps), weight, faces);
  // x(·|ω) = X(·, ω)/ε, normalised by the X's own sum: the LP meets Σ_a X(a, ω) = ε only to its tolerance, and
  // dividing by ε = 1e-6·scale made the conditional sum to 1 + 9e-10, and the surplus exceed max_a u(a, ω) (a
  // property test with an unfixed seed found 3.0000000027 > 3)
  const mass = d.X.reduce((acc, row) => acc + Math.max(0, row[w]), 0);
  const conditional = d.X.map((row) => Math.max(0, row[w]) / (mass > 0 ? mass : eps));
  // ω's own surplus (d.consumerSurplus is every type's: dividing it by ε would count the others' surplus too)
  const surplus = conditional.reduce((acc, x, a) => acc + x * consumerSurplus(game.fees[a], game.types[w]), 0);
  return { faces, conditional, surplus };
}

function shifted(q: ArrayLike<number>, w: number, eps: number): number[] {
  const qe = Array.from(q);
  qe[w] += eps;
  return qe;
}

/**
 * Optimal selling fraction ζ(ω) ∈ [0, 1] given the private gain G(ω) = p(ω) + U(ω): 1 if G > r̄, 0 if
 * G < r̄; indifferent consumers (|G − r̄| ≤ tol) get `ifIndifferent` (default 1).
 */
export function participation(G: number[], rbar: number, ifIndifferent = 1, tol = 1e-12): number[] {
  return G.map((g) => (g > rbar + tol ? 1 : g < rbar - tol ? 0 : ifIndifferent));
}
