import { InputError } from '../../scenario/errors.js';
import type { IntermediationScenario } from '../../scenario/validate.js';

/** Placeholder until the intermediation checker lands: refuses clearly instead of printing numbers. */
export async function solveIntermediation(_s: IntermediationScenario): Promise<Record<string, unknown>> {
  throw new InputError('model', 'the intermediation checker is not available yet');
}

/** Human-readable table of a solve result. */
export function formatIntermediation(result: Record<string, unknown>): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
