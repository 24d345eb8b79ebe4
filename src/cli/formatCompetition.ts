/** Human-readable sections of `solve` for competition, regulation and uncertainty (issue 6); JSON is unaffected. */
import type { LeakageSolution } from '../checker/leakage/index.js';
import { fmt, ranges, table } from './format.js';

const MAX_ROWS = 20;

export function formatCompetition(r: LeakageSolution): string {
  let out = '';
  if (r.informationMeasure === 'mutual-information') out += 'leakage measure: mutual information I(X_i; S_A)\n';
  if (r.platforms === 2 && r.joiningEquilibria && r.uniformMixed) {
    out += `\nduopoly (α = ${fmt(r.spillover ?? 0)}${r.joiningValue ? `, c(J) = ${fmt(r.joiningValue.base)} + ${fmt(r.joiningValue.perMember)}·(|J|−1)` : ', joining values omitted (Assumption 1)'}); the table above is the monopoly benchmark\n`;
    out += `method: ${r.joiningMethod}\n`;
    if (r.duopolyRegulation) {
      out += `regulated duopoly: ${[r.duopolyRegulation.rate > 0 ? `uniform tax ${fmt(r.duopolyRegulation.rate)} per transaction` : '', r.duopolyRegulation.decorrelation ? 'de-correlation by one mediator' : ''].filter(Boolean).join(', ')} on each platform (first best and PAL bound unregulated)\n`;
    }
    out += `pure joining equilibria: ${r.joiningEquilibriaCount}${r.roleDependentProfiles ? ` (+${r.roleDependentProfiles} count profiles whose verdict depends on which members share)` : ''}\n`;
    const rows = r.joiningEquilibria.slice(0, MAX_ROWS).map((e) => [
      e.membersByCommunity ? `${e.membersByCommunity[0].join('/')} | ${e.membersByCommunity[1].join('/')}` : e.assignment.join(''),
      e.sharersByCommunity ? `${e.sharersByCommunity[0].join('/')} | ${e.sharersByCommunity[1].join('/')}` : `${ranges(e.sharers[0])} | ${ranges(e.sharers[1])}`,
      e.socialSurplus,
      e.multiplicity !== undefined ? String(e.multiplicity) : '1',
    ]);
    if (rows.length > 0) {
      out += table([r.joiningEquilibria[0].membersByCommunity ? 'members by community (1 | 2)' : r.joiningValue ? 'platform per user (0: none)' : 'platform per user', 'sharers (1 | 2)', 'social surplus', 'assignments'], rows);
      if (r.joiningEquilibria.length > MAX_ROWS) out += `… ${r.joiningEquilibria.length - MAX_ROWS} more in --json\n`;
    }
    const m = r.uniformMixed;
    out += `uniform ½ mixed joining: expected social surplus ${fmt(m.expectedSocialSurplus)} (data part ${fmt(m.expectedDataSurplus)}; PAL Thm ${r.spillover ? 7 : 4} bound ${fmt(m.palBound)})\n`;
    out += `monopoly equilibrium social surplus ${fmt(r.equilibrium.socialSurplus)}\n`;
    const fb = r.duopolyFirstBest;
    if (fb) {
      const where = fb.membersByCommunity
        ? `members by community ${fb.membersByCommunity[0].join('/')} | ${fb.membersByCommunity[1].join('/')}, sharers ${fb.sharersByCommunity?.[0].join('/')} | ${fb.sharersByCommunity?.[1].join('/')}`
        : `platform per user ${fb.assignment.join('')}${fb.assignment.includes(0) ? ' (0: none)' : ''}, sharers ${ranges(fb.sharers[0])} | ${ranges(fb.sharers[1])}`;
      out += `duopoly first best: ${where}; social surplus ${fmt(fb.socialSurplus)} (data part ${fmt(fb.dataSurplus)})\n`;
    } else if (r.duopolyFirstBestNote) out += `duopoly first best not computed: ${r.duopolyFirstBestNote}\n`;
  }
  if (r.postedPrice) {
    const pp = r.postedPrice;
    const vec = (p: number[]): string => `(${p.map((x) => fmt(x)).join(', ')})`;
    out += `\nposted-price duopoly (PAL §VII / AMMO §4) on a grid of ${pp.priceVectorsPerPlatform} price vectors per platform — ${pp.gridNote}\n`;
    out += `  user profiles per price pair ${pp.userProfiles}; pairs without a pure user equilibrium ${pp.pairsWithoutUserEquilibrium}; everyone joins in every user equilibrium: ${pp.everyoneJoins ? 'yes' : 'no'}`;
    out += pp.assumption1 ? ` (Assumption 1: network effects ${pp.assumption1.strictNetworkEffects ? 'yes' : 'no'}, c({i}) > max v σ² ${pp.assumption1.joiningExceedsPrivacyLoss ? 'yes' : 'no'})\n` : ' (joining values omitted: Assumption 1 taken as given)\n';
    out += `  pure equilibria (Def 3): ${pp.pureEquilibriaCount}, of which efficient (first-best surplus): ${pp.efficientPureEquilibriaCount}\n`;
    if (pp.mixed) {
      const m = pp.mixed;
      m.support.forEach((sup, k) => {
        out += `  mixed, platform ${k + 1}: ${sup.map((q) => `${vec(q.prices)} w.p. ${fmt(q.probability)}`).join('; ')}\n`;
      });
      out += `  mixed: platform payoffs ${fmt(m.platformPayoffs[0])}, ${fmt(m.platformPayoffs[1])} (pessimistic); expected social surplus ${fmt(m.expectedSocialSurplus.min)}${m.expectedSocialSurplus.max !== m.expectedSocialSurplus.min ? `–${fmt(m.expectedSocialSurplus.max)}` : ''} (data part ${fmt(m.expectedDataSurplus.min)}); deviation gap ${fmt(m.deviationGap)}\n`;
    } else out += `  mixed equilibrium not computed: ${pp.mixedNote ?? ''}\n`;
    if (pp.firstBest) out += `  first best social surplus ${fmt(pp.firstBest.socialSurplus)} (data part ${fmt(pp.firstBest.dataSurplus)})\n`;
  }
  if (r.regulated) {
    const g = r.regulated;
    const e = g.equilibrium;
    out += `\nregulated: ${g.method}\n`;
    out += `  sharers ${ranges(e.sharers)}; platform profit ${fmt(e.platformProfit)}, tax revenue ${fmt(e.taxRevenue)}, social surplus ${fmt(e.socialSurplus)}\n`;
    out += `  unregulated social surplus ${fmt(g.unregulatedSocialSurplus)}, first best ${fmt(g.firstBestSocialSurplus)}\n`;
    if (g.theorem6) out += `  AMMO Thm 6.2 (regulated ≥ max(unregulated, 0)): ${g.theorem6.holds ? 'holds' : 'VIOLATED'}\n`;
  }
  if (r.uncertainty) {
    const u = r.uncertainty;
    if (u.kind === 'covariances') {
      out += `\nΣ unknown (μ over ${u.weights.length} covariances); equilibrium evaluated under each:\n`;
      out += table(['weight', 'social surplus', 'platform profit'], u.perCovariance.map((p) => [p.weight, p.socialSurplus, p.platformProfit]));
    } else {
      out += `\nprivacy values unknown (${u.distribution.kind}); virtual values ${u.virtualValues.map((x) => fmt(x)).join(', ')}\n`;
      if (u.ironing) {
        out += `  irregular F ironed: ${u.ironing.intervals.map((iv) => `{${iv.values.map((x) => fmt(x)).join(', ')}} → Φ̄ = ${fmt(iv.ironedVirtualValue)}`).join('; ')} (unironed Φ at the values: ${u.ironing.rawVirtualValues.map((x) => fmt(x)).join(', ')})\n`;
      }
      out += `  information rents ${u.informationRents.map((x) => fmt(x)).join(', ')}\n`;
      out += `  complete information: sharers ${ranges(u.completeInformation.sharers)}, social surplus ${fmt(u.completeInformation.socialSurplus)}, platform profit ${fmt(u.completeInformation.platformProfit)}\n`;
    }
  }
  return out;
}
