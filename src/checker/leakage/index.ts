import type { LeakageScenario } from '../../scenario/validate.js';
import { mixTables, type SetTable } from '../../model/leakage/setTable.js';
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
  if (s.covarianceMixture || s.valueDistribution) {
    const unc = solveUncertainty(s);
    if (s.platforms !== 2 || !s.covarianceMixture || s.structure.kind !== 'general') return unc;
    // Two platforms with Σ ~ μ: every payoff is linear in leakage, so the duopoly runs on the μ-mixture table.
    const mix = s.covarianceMixture;
    const t = mixTables(
      mix.map((e, k) => scenarioTable(e.Sigma, s.noiseVariance, s.informationMeasure, `uncertainty.covariances.${k}.covariance`)),
      mix.map((e) => e.weight),
    );
    const opts = { alpha: s.spillover, ...(s.joiningValue ? { joining: s.joiningValue } : {}) };
    return { ...unc, ...solveDuopolyGeneral(s.structure.Sigma, s.noiseVariance, s.privacyValues, opts, t) };
  }
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
    const reg = s.regulation
      ? { regulation: { rate: s.regulation.tax?.kind === 'uniform' ? (s.regulation.tax.rate ?? 0) : 0, decorrelation: Boolean(s.regulation.decorrelation) } }
      : {};
    const opts = { alpha: s.spillover, ...(s.joiningValue ? { joining: s.joiningValue } : {}), ...reg };
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
    // The single-platform benchmark is regulated the same way, so both appear side by side.
    if (s.regulation) return { ...out, ...duo, regulated: solveRegulation(s, out, table) };
    return { ...out, ...duo };
  }
  if (s.regulation) return { ...out, regulated: solveRegulation(s, out, table) };
  return out;
}
