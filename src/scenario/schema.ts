/**
 * Scenario file schemas (DESIGN.md §3). Objects are strict: an unknown field is an error.
 * Semantic checks that zod cannot express (symmetry, PSD, lengths that depend on other fields) live in
 * `validate.ts`.
 */
import { z } from 'zod';

const finite = z.number();
const nonNegative = finite.nonnegative();

/** DESIGN.md §5. Defaults are documented in docs/dynamics.md and applied by the engine. */
export const dynamicsSchema = z.strictObject({
  // a missing kind said "Invalid option: expected one of …" (review: a sweep setting only dynamics.rounds)
  kind: z.enum(['best-response', 'tatonnement', 'learning'], { error: (iss) => (iss.input === undefined ? 'missing: one of "best-response", "tatonnement", "learning" is required' : undefined) }),
  rounds: z.number().int().positive().optional(),
  tolerance: finite.positive().optional(),
  step: finite.positive().optional(),
});
export type Dynamics = z.infer<typeof dynamicsSchema>;

const common = {
  name: z.string().min(1),
  seed: z.number().int().optional(),
  dynamics: dynamicsSchema.optional(),
};

/**
 * Block ("community") covariance: `variance` on the diagonal, `within` between two users of one block,
 * `across` between users of different blocks (AMMO Example 2).
 */
export const communitiesSchema = z.strictObject({
  sizes: z.array(z.number().int().positive()).min(1),
  variance: finite.positive(),
  within: finite,
  across: finite,
});
export type Communities = z.infer<typeof communitiesSchema>;

/** AMMO §6 regulation; semantics in docs/leakage.md. */
export const regulationSchema = z.strictObject({
  tax: z
    .strictObject({
      kind: z.enum(['pigovian', 'uniform']),
      /** Uniform per-transaction tax paid by the platform for each sharer (kind "uniform"). */
      rate: nonNegative.optional(),
    })
    .optional(),
  decorrelation: z.boolean().optional(),
});
export type Regulation = z.infer<typeof regulationSchema>;

/** PAL joining values c_i(J) = base + perMember·(|J| − 1) (docs/leakage-competition.md). */
export const joiningValueSchema = z.strictObject({
  base: finite,
  perMember: nonNegative.optional(),
});

/** AMMO §5.2: privacy values drawn i.i.d. from F; `privacyValues` are the realised (reported) values. */
export const valueDistributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('uniform'), low: nonNegative, high: finite }),
  z.strictObject({
    kind: z.literal('empirical'),
    values: z.array(nonNegative).min(1),
    /** Probabilities (normalised); equal weights when omitted. */
    weights: z.array(nonNegative).min(1).optional(),
  }),
]);
export type ValueDistribution = z.infer<typeof valueDistributionSchema>;

/** AMMO §5: unknown values and/or unknown Σ ~ μ over a finite list (docs/leakage-competition.md). */
export const uncertaintySchema = z.strictObject({
  privacyValues: valueDistributionSchema.optional(),
  covariances: z
    .array(
      z.strictObject({
        covariance: z.array(z.array(finite).min(1)).min(1).optional(),
        /** A block covariance instead of a matrix (all entries of the list then use communities of the same sizes). */
        communities: communitiesSchema.optional(),
        weight: nonNegative,
      }),
    )
    .min(1)
    .optional(),
});

export const leakageScenarioSchema = z.strictObject({
  ...common,
  model: z.literal('leakage'),
  /** τ² of S_i = X_i + Z_i, Z_i ~ N(0, τ²); the papers fix τ² = 1 (MODEL.md B.9 item 1). */
  noiseVariance: finite.positive().optional(),
  covariance: z.array(z.array(finite).min(1)).min(1).optional(),
  communities: communitiesSchema.optional(),
  privacyValues: z.array(nonNegative).min(1),
  platforms: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }).optional(),
  /** PAL's cross-platform spillover α ∈ [0, 1]. */
  spillover: finite.min(0).max(1).optional(),
  regulation: regulationSchema.optional(),
  joiningValue: joiningValueSchema.optional(),
  uncertainty: uncertaintySchema.optional(),
  /**
   * PAL §VII / AMMO §4 posted-price duopoly on a finite price grid (platforms: 2): `levels` are the price
   * levels every user may be offered (one list for all users, or one list per user); each platform's
   * strategies are the price vectors of their Cartesian product (docs/leakage-competition.md).
   */
  postedPrices: z
    .strictObject({ levels: z.union([z.array(nonNegative).min(1), z.array(z.array(nonNegative).min(1)).min(1)]) })
    .optional(),
  /** AMMO §5.1: "mse" (default, I_i) or "mutual-information" (I(X_i; S_A), MODEL.md B.9 item 25 (b)). */
  informationMeasure: z.enum(['mse', 'mutual-information']).optional(),
});
export type LeakageScenarioInput = z.infer<typeof leakageScenarioSchema>;

/**
 * One platform of a Galperti–Perego market (docs/intermediation.md): its own weights γ_u,i and γ_π,i, its
 * merchant's fee grid (defaults to the type grid) and the buyers' payoff weights β_i(ω) (g_i = β_i(ω)·u).
 */
export const intermediationPlatformSchema = z.strictObject({
  name: z.string().min(1).optional(),
  weights: z.strictObject({ consumer: nonNegative, merchant: nonNegative }),
  fees: z.array(finite).min(1).optional(),
  buyerWeights: z.array(nonNegative).min(1).optional(),
  /** Several merchants (GP's K_i), each with its own fee grid A^k; excludes `fees`. */
  merchants: z.array(z.strictObject({ name: z.string().min(1).optional(), fees: z.array(finite).min(1) })).min(1).optional(),
  /** How several merchants interact: own product each (`separate`) or one product, cheapest wins (`bertrand`). */
  competition: z.enum(['separate', 'bertrand']).optional(),
});
export type IntermediationPlatform = z.infer<typeof intermediationPlatformSchema>;

/** Hard caps of `equilibriumSearch`; equal MAX_SEARCH_TYPES_HARD / MAX_SEARCH_FACES_HARD of the exact search (tested). */
export const SEARCH_MAX_TYPES = 8;
export const SEARCH_MAX_FACES = 10_000_000;
/** Hard cap of `equilibriumSearch.twoInteriorMaxTypes`; equals MAX_TWO_INTERIOR_TYPES_HARD of E2 (tested). */
export const SEARCH_TWO_INTERIOR_MAX_TYPES = 5;
/** Hard cap of `equilibriumSearch.maxSplitSlices`; equals MAX_TWO_SPLIT_SLICES_HARD of E2 (tested). */
export const SEARCH_MAX_SPLIT_SLICES = 100_000;

export const intermediationScenarioSchema = z.strictObject({
  ...common,
  model: z.literal('intermediation'),
  /** Willingness-to-pay grid ω, strictly increasing. */
  types: z.array(finite).min(1),
  /** q̄(ω) ≥ 0, one per type. */
  mass: z.array(nonNegative).min(1),
  /** Merchant fee grid A; defaults to the type grid. */
  fees: z.array(finite).min(1).optional(),
  /** γ_u (consumer) and γ_π (merchant) weights of the platform's objective. */
  weights: z.strictObject({ consumer: nonNegative, merchant: nonNegative }),
  /** r̄, a consumer's payoff from not selling her record. */
  reservationUtility: nonNegative.optional(),
  remedy: z.enum(['none', 'union', 'tax', 'complete']).optional(),
  /** Several platforms (Galperti–Perego); see docs/intermediation.md. */
  platforms: z.array(intermediationPlatformSchema).min(1).optional(),
  /** GP's type-specific privacy values r_ω (value of a kept record); default r̄ for every type. */
  privacyValues: z.array(nonNegative).min(1).optional(),
  /**
   * Limits of the exact equilibrium search (single platform): `maxTypes` (default 5, at most 8) and `maxFaces`
   * (pattern × face LPs, default 20000·4^(maxTypes − 5), at most 10^7). Raising them keeps the search exact at a cost in time
   * (docs/intermediation.md, "Larger markets"); beyond them the checker falls back to a non-exhaustive search.
   * `twoInteriorMaxTypes` (GP E2, a platforms array of one platform; default and most 5): the most types with
   * records for which equilibria with two interior types are searched — lower it to skip them (faster, and the
   * search then says it is not exhaustive). `maxSplitSlices` (GP E2 with several platforms, or a platform with
   * several merchants; default 700, at most 100,000): the most slices of each kind (two split types; one type split
   * over three uses) searched — raise it to search larger markets' splits (slower), lower it to skip them.
   * `manyInterior` (GP E2, a platforms array of one platform, with one merchant or several): with four types
   * with records, also search three interior types next to a type that sells everything, and four interior (the
   * three-dimensional volume search; default true, seconds per market — false skips it, and the search then says it
   * is not exhaustive); with five, true searches the 50 volumes of three interior types next to types at corners and
   * four interior next to a type at 0 (default false: 2–11× the time of the rest on random markets).
   */
  equilibriumSearch: z
    .strictObject({
      maxTypes: z.number().int().min(1).max(SEARCH_MAX_TYPES).optional(),
      maxFaces: z.number().int().min(1).max(SEARCH_MAX_FACES).optional(),
      twoInteriorMaxTypes: z.number().int().min(2).max(SEARCH_TWO_INTERIOR_MAX_TYPES).optional(),
      maxSplitSlices: z.number().int().min(1).max(SEARCH_MAX_SPLIT_SLICES).optional(),
      manyInterior: z.boolean().optional(),
    })
    .optional(),
});
export type IntermediationScenarioInput = z.infer<typeof intermediationScenarioSchema>;

export const scenarioSchema = z.discriminatedUnion('model', [leakageScenarioSchema, intermediationScenarioSchema]);
export type ScenarioInput = z.infer<typeof scenarioSchema>;
