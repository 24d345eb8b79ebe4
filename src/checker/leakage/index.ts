import type { LeakageScenario } from '../../scenario/validate.js';
import type { SetTable } from '../../model/leakage/setTable.js';
import { solveMonopoly, type MonopolySolution } from './monopoly.js';
import { scenarioTable, solveTable } from './tableMonopoly.js';
export { MAX_TABLE_USERS, scenarioTable } from './tableMonopoly.js';
import { solveDuopolyCommunities, solveDuopolyGeneral, type DuopolyReport } from './duopoly.js';
import { solveRegulation, type RegulationReport } from './regulation.js';
import { solveUncertainty, type UncertaintyReport } from './uncertainty.js';
import { solvePostedPrice, type PostedPriceReport } from './postedPrice.js';

export type LeakageSolution = MonopolySolution &
  Partial<DuopolyReport> & { informationMeasure?: 'mutual-information'; regulated?: RegulationReport; uncertainty?: UncertaintyReport; postedPrice?: PostedPriceReport };

/** Exact leakage equilibrium for a validated scenario (DESIGN.md §4 `solve` output). */
export function solveLeakage(s: LeakageScenario): LeakageSolution {
  const mi = s.informationMeasure === 'mutual-information';
  if (s.covarianceMixture || s.valueDistribution) return solveUncertainty(s);
  let table: SetTable | undefined;
  let base: MonopolySolution;
  if (mi && s.structure.kind === 'general') {
    table = scenarioTable(s.structure.Sigma, s.noiseVariance, s.informationMeasure);
    base = solveTable(table, s.privacyValues, `exact: all 2^${table.n} sharing sets, mutual-information leakage I(X_i; S_A) = −½ ln(1 − I_i/σ_i²)`);
  } else {
    base = solveMonopoly(s);
  }
  const out: LeakageSolution = mi ? { ...base, informationMeasure: 'mutual-information' } : { ...base };
  if (s.platforms === 2) {
    const opts = { alpha: s.spillover, ...(s.joiningValue ? { joining: s.joiningValue } : {}) };
    const duo =
      s.structure.kind === 'general'
        ? solveDuopolyGeneral(s.structure.Sigma, s.noiseVariance, s.privacyValues, opts, table)
        : solveDuopolyCommunities(s.structure, s.noiseVariance, s.privacyValues, opts);
    if (s.postedPrices && s.structure.kind === 'general') {
      const Sigma = s.structure.Sigma;
      const t = table ?? scenarioTable(Sigma, s.noiseVariance, s.informationMeasure);
      const postedPrice = solvePostedPrice(t, s.privacyValues, Sigma.map((r, i) => r[i]), s.postedPrices.levels, s.joiningValue);
      return { ...out, ...duo, postedPrice };
    }
    return { ...out, ...duo };
  }
  if (s.regulation) return { ...out, regulated: solveRegulation(s, out, table) };
  return out;
}
