/**
 * The join step of a round (the card's order: join → price offers → share decisions → signal and fee).
 * With one platform every consumer is on it (AMMO fn 14: under Assumption 1 everyone joins a monopoly), so
 * the rule is trivial; the duopoly issue plugs a real rule in here (e.g. users comparing their payoffs on
 * platform 1 and 2) without touching the rest of the round.
 */
export interface JoinRule {
  readonly platforms: number;
  /** Writes each consumer's platform (0-based) into `joined`; returns how many consumers moved. */
  assign(round: number, joined: Int32Array): number;
}

export const singlePlatform: JoinRule = {
  platforms: 1,
  assign(_round, joined) {
    let moved = 0;
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] !== 0) {
        joined[i] = 0;
        moved++;
      }
    }
    return moved;
  },
};
