/**
 * Platforms of the Galperti–Perego E1 economy (MODEL.md A.6.2) as buyers of records: each takes the posted
 * record prices p and demands the records that maximise U_i(q_i) − p·q_i (model `platformDemand`, one LP).
 * The platform knows its own design problem; it does not know the other platforms'.
 */
import type { LpSolver } from '../lp/index.js';
import { platformDemand } from '../model/intermediation/engine-demand.js';
import type { PricingGame } from '../model/intermediation/index.js';

export class RecordBuyer {
  /** Records demanded in the last round, per type. */
  demand: number[];
  /** U_i at those records. */
  value = 0;
  constructor(
    private readonly solver: LpSolver,
    readonly game: PricingGame,
    private readonly cap: readonly number[],
  ) {
    this.demand = game.types.map(() => 0);
  }
  respond(prices: readonly number[]): number[] {
    const d = platformDemand(this.solver, this.game, prices, this.cap);
    this.demand = d.records;
    this.value = d.value;
    return this.demand;
  }
}
