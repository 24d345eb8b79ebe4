/**
 * Bad input: one line `error: <field path>: <what is wrong>`, exit code 2 (DESIGN.md §4).
 * Every layer throws this for input it cannot use; only the CLI turns it into an exit code.
 */
export class InputError extends Error {
  readonly path: string;
  readonly detail: string;
  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'InputError';
    this.path = path;
    this.detail = detail;
  }
  /** The single stderr line of the contract (line breaks in a field name or detail shown as \n: review). */
  line(): string {
    return `error: ${this.path}: ${this.detail}`.replace(/\r?\n|\r/g, '\\n');
  }
}

/** Dotted field path (`communities.sizes.1`) from zod-style path segments. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}
