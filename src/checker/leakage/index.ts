import type { LeakageScenario } from '../../scenario/validate.js';
import { assertFinite } from '../finite.js';
import { mixTables, type SetTable } from '../../model/leakage/setTable.js';
import { checkMonopolyLimits, solveMonopoly, type MonopolySolution } from './monopoly.js';
import { checkTableLimits, scenarioTable, solveTable } from './tableMonopoly.js';
export { MAX_TABLE_USERS, scenarioTable } from './tableMonopoly.js';
import { checkDuopolyCommunityLimits, checkDuopolyGeneralLimits, solveDuopolyCommunities, solveDuopolyGeneral, type DuopolyReport } from './duopoly.js';
import { checkRegulationLimits, solveRegulation, type RegulationReport } from './regulation.js';
import { checkUncertaintyLimits, solveUncertainty, type UncertaintyReport } from './uncertainty.js';
import { checkPostedPriceLimits, solvePostedPrice, type PostedPriceReport } from './postedPrice.js';
import { checkCommunityTableLimits, solveCommunityTable } from './communityTable.js';
import { blockLeakFn, mixBlockLeak } from '../../model/leakage/community.js';
import { outcomeFrom } from '../../model/leakage/outcome.js';
import type { Communities } from '../../scenario/schema.js';

export type LeakageSolution = MonopolySolution &
  Partial<DuopolyReport> & { informationMeasure?: 'mutual-information'; regulated?: RegulationReport; uncertainty?: UncertaintyReport; postedPrice?: PostedPriceReport };

/**
 * Exact leakage equilibrium for a validated scenario (DESIGN.md §4 `solve` output). A non-finite number
 * anywhere in the result is bad input (docs/numerics.md), never printed.
 */
export function solveLeakage(s: LeakageScenario): LeakageSolution {
  checkLeakageLimits(s);
  return assertFinite(solveLeakageUnchecked(s), s.structure.kind === 'general' ? 'covariance' : 'communities');
}

/**
 * Every limit and refusal of `solveLeakage` that the scenario alone decides, in the order the solver meets
 * them (its dispatch below), so a refused scenario gets the message the solver would give — before any
 * work. Each module owns its rule (check…Limits next to its solver); this only asks them. Not covered:
 * the community branch and bound's evaluation budget and non-finite results, known only while solving.
 */
export function checkLeakageLimits(s: LeakageScenario): void {
  const mi = s.informationMeasure === 'mutual-information';
  const st = s.structure;
  if (st.kind === 'communities' && (s.communityMixture || mi)) {
    checkCommunityTableLimits(st.sizes);
    if (s.platforms === 2) checkDuopolyCommunityLimits(st.sizes, s.joiningValue !== undefined, s.spillover > 0);
    return;
  }
  if (s.covarianceMixture || s.valueDistribution) {
    checkUncertaintyLimits(s);
    if (s.platforms === 2 && s.covarianceMixture && st.kind === 'general') checkDuopolyGeneralLimits(st.Sigma.length);
    return;
  }
  if (mi && st.kind === 'general') checkTableLimits(st.Sigma.length);
  else checkMonopolyLimits(s);
  if (s.platforms === 2) {
    if (st.kind === 'general') checkDuopolyGeneralLimits(st.Sigma.length);
    else checkDuopolyCommunityLimits(st.sizes, s.joiningValue !== undefined, s.spillover > 0);
    if (s.postedPrices && st.kind === 'general') {
      checkTableLimits(st.Sigma.length);
      checkPostedPriceLimits(st.Sigma.length, s.postedPrices.levels, Boolean(s.joiningValue));
      return;
    }
  }
  checkRegulationLimits(s);
}

function solveLeakageUnchecked(s: LeakageScenario): LeakageSolution {
  const mi = s.informationMeasure === 'mutual-information';
  if (s.structure.kind === 'communities' && (s.communityMixture || mi)) return solveCommunityVariants(s, s.structure);
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

/**
 * Communities with mutual information and/or Σ ~ μ over block covariances (single platform; validation
 * refuses the rest): enumeration on sharer counts (communityTable.ts).
 */
function solveCommunityVariants(s: LeakageScenario, mean: Communities): LeakageSolution {
  const measure = s.informationMeasure;
  const list = s.communityMixture ?? [{ communities: mean, weight: 1 }];
  const fns = list.map((e) => blockLeakFn(e.communities, s.noiseVariance, measure));
  const leakOf = list.length === 1 ? fns[0] : mixBlockLeak(fns, list.map((e) => e.weight));
  const what = [measure === 'mutual-information' ? 'mutual-information leakage I(X_i; S_A) = −½ ln(1 − I_i/σ²)' : '', s.communityMixture ? `expected leakage over ${list.length} block covariances (Σ ~ μ)` : '']
    .filter(Boolean)
    .join(', ');
  const sol = solveCommunityTable(mean.sizes, leakOf, s.privacyValues, what);
  let out: LeakageSolution = measure === 'mutual-information' ? { ...sol, informationMeasure: 'mutual-information' } : { ...sol };
  if (s.platforms === 2) {
    // The community duopoly reads block leakage by counts, so it runs on the same transformed / mixed leakage.
    const opts = { alpha: s.spillover, ...(s.joiningValue ? { joining: s.joiningValue } : {}) };
    out = { ...out, ...solveDuopolyCommunities(mean, s.noiseVariance, s.privacyValues, opts, leakOf) };
  }
  if (!s.communityMixture) return out;
  const m = sol.equilibrium.sharersByCommunity ?? [];
  const v = sol.equilibrium.leakage.map((_, i) => s.privacyValues[blockOf(mean.sizes, i)]);
  const sharing = new Set(sol.equilibrium.sharers);
  return {
    ...out,
    uncertainty: {
      kind: 'covariances',
      weights: list.map((e) => e.weight),
      perCovariance: fns.map((f, k) => {
        // Realised payoffs: prices fixed ex ante (expected increments), leakage under the k-th Σ.
        const L = f(m);
        const leak = sol.equilibrium.leakage.map((_, i) => {
          const g = blockOf(mean.sizes, i);
          return sharing.has(i) ? L.sharer[g] : L.nonSharer[g];
        });
        const o = outcomeFrom(sol.equilibrium.sharers, leak, sol.equilibrium.prices, v);
        return { weight: list[k].weight, socialSurplus: o.socialSurplus, totalLeakage: o.totalLeakage, platformProfit: o.platformProfit };
      }),
    },
  };
}

function blockOf(sizes: readonly number[], i: number): number {
  let acc = 0;
  for (let g = 0; g < sizes.length; g++) {
    acc += sizes[g];
    if (i < acc) return g;
  }
  return sizes.length - 1;
}
