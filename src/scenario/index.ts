export * from './errors.js';
export * from './json.js';
export * from './schema.js';
export * from './validate.js';

import { readJsonFile } from './json.js';
import { validateScenario, type Scenario } from './validate.js';

/** Reads and validates a scenario file. */
export function loadScenario(file: string): Scenario {
  return validateScenario(readJsonFile(file, 'scenario'));
}
