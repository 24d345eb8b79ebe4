/**
 * Equilibria that are a corner's shadow at the tolerance (docs/numerics.md, "Records near the band"): an entry whose
 * records of some types stay strictly inside (0, NEAR_CORNER·max q̄] over its whole set (a type selling all of a
 * tiny mass does not count), while the entry with those types unsold and the other records the same is also an
 * equilibrium. A genuine interior equilibrium that close to a corner is dropped too: the two allocations then
 * differ by records the checker's tolerances cannot tell from 0. The equilibrium conditions are solved at
 * absolute tolerances, so a type's treatment — hence its gain G(ω) — is pinned only to ~1e-9/q(ω): with records
 * of 1e-8…1e-6 of the largest, an "interior" equilibrium can pass whose indifference fails at the exact price (fuzz:
 * G(2) 0.006 short of r̄, W above Wo by 1.6e-8). The corner beside it is the equilibrium; the shadow is dropped —
 * unless `genuine` says otherwise (the checker: the entry's point meets the conditions at tolerance 0).
 */
import type { Equilibrium } from './equilibrium.js';

/** Records at most this fraction of the largest mass count as "at the corner" for `withoutCornerShadows`. */
export const NEAR_CORNER = 1e-5;

/** The equilibria without corner shadows (module comment), in their order, and how many were dropped. */
export function withoutCornerShadows<E extends Pick<Equilibrium, 'records' | 'region'>>(equilibria: E[], qBar: number[], genuine: (e: E) => boolean = () => false): { kept: E[]; dropped: number } {
  const scale = Math.max(0, ...qBar);
  const near = NEAR_CORNER * scale;
  const same = 1e-9 * Math.max(1, scale);
  const upper = (e: E, w: number) => {
    const k = e.region?.types.indexOf(w) ?? -1;
    return k >= 0 && e.region ? Math.max(e.region.upper[k], e.records[w]) : e.records[w];
  };
  // a type selling all its records is not near a corner, however small its mass: a genuine equilibrium can scale
  // with a tiny mass (review: (0, 1.3e-6, 3e-6) with q̄(2) = 3e-6 passes the support LP exactly, as it does at
  // q̄(2) = 3e-2 scaled up); only records strictly inside (0, q̄) count
  const tinyOf = (e: E) => e.records.map((x, w) => x > 0 && x < qBar[w] && upper(e, w) <= near);
  const shadow = (e: E) => {
    const tiny = tinyOf(e);
    if (!tiny.some(Boolean)) return false;
    // the corner must be one itself (no tiny records), so two shadows never drop each other
    return equilibria.some((f) => f !== e && !tinyOf(f).some(Boolean) && f.records.every((x, w) => (tiny[w] ? x === 0 : Math.abs(x - e.records[w]) <= same)));
  };
  // a tiny set whose point meets the conditions without tolerance is no artefact of it: kept (`genuine`; review: the
  // checks' tolerances are on G itself since 2026-11-28, and of the entries the rule then dropped on 2,695 review
  // markets the three examined were true sets — the ray (0, s), 0 < s ≤ 6.4e-6, of types 0.5, 3 among them)
  const kept = equilibria.filter((e) => !shadow(e) || genuine(e));
  return { kept, dropped: equilibria.length - kept.length };
}
