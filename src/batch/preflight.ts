/**
 * Sweep preflight: every expanded scenario goes through the checker's (`solve`) or the engine's
 * (`simulate`) up-front limits before the output folder is created, so a sweep whose run 3 of 5 exceeds a
 * limit fails with the run named (as a validation error of that run is) and writes nothing, instead of
 * failing after runs 1–2 wrote their rows.
 */
import { InputError } from '../scenario/errors.js';
import { preflightSolve } from '../checker/preflight.js';
import { preflightSimulate } from '../engine/preflight.js';
import type { SweepPlan } from './expand.js';

export function preflightPlan(plan: SweepPlan): void {
  const seedOf = new Map<number, number>();
  for (const t of plan.tasks) if (!seedOf.has(t.run)) seedOf.set(t.run, t.seed);
  for (const r of plan.runs) {
    try {
      // a simulate run also solves (the first-best column), which preflightSimulate covers
      if (plan.sweep.command === 'simulate') preflightSimulate(r.scenario, { seed: seedOf.get(r.run) });
      else preflightSolve(r.scenario);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // the same run label as a validation error of the run (expand.ts applyAndValidate)
      const desc = Object.entries(r.overrides)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ');
      throw new InputError(e.path, `${e.detail} (in run ${r.run}${desc ? `: ${desc}` : ''})`);
    }
  }
}
