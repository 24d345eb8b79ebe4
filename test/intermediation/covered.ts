/** Shared by the equilibrium-search tests: is an equilibrium among the reported ones? */
import type { Equilibrium } from '../../src/model/intermediation/index.js';

/** Same roles, and equal records or inside the reported region's coordinate extents (other records equal). */
export function covered(list: Equilibrium[], e: Equilibrium, tol = 1e-7): boolean {
  return list.some((r) => {
    if (r.roles.join() !== e.roles.join()) return false;
    if (r.records.every((x, w) => Math.abs(x - e.records[w]) <= tol)) return true;
    const reg = r.region;
    if (!reg) return false;
    return reg.types.every((w, i) => e.records[w] >= reg.lower[i] - tol && e.records[w] <= reg.upper[i] + tol) && e.records.every((x, w) => reg.types.includes(w) || Math.abs(x - r.records[w]) <= tol);
  });
}
