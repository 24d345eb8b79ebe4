export * from './errors.js';
export * from './json.js';
export * from './schema.js';
export * from './validate.js';

import { readJsonFile } from './json.js';
import { validateScenario, type Scenario } from './validate.js';

/** Reads and validates a scenario file; `field` names the input in a missing-file or invalid-JSON error. */
export function loadScenario(file: string, field = 'scenario'): Scenario {
  return validateScenario(readJsonFile(file, field));
}
