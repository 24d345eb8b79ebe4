import { readFileSync } from 'node:fs';
import { parse as parseTolerant, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { InputError } from './errors.js';

/** Reads a JSON file; a missing file or invalid JSON becomes an InputError (invalid JSON with line/column). */
export function readJsonFile(file: string, field = 'file'): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(field, `${file}: ${unreadable(e)}`);
  }
  return parseJsonText(text, field, file);
}

/** Why a file could not be read, from the error readFileSync threw (a missing file, a folder, anything else). */
export function unreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`;
}

/**
 * Strict JSON.parse; on failure, jsonc-parser (in strict mode) locates the first error, because V8's
 * messages do not always carry a position.
 */
export function parseJsonText(text0: string, field: string, label: string): unknown {
  // a byte-order mark (as some editors save UTF-8) is not JSON, but not the user's error either (review)
  const text = text0.startsWith('\uFEFF') ? text0.slice(1) : text0;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
    const first = errors[0];
    const offset = first ? first.offset : text.length;
    const what = first ? printParseErrorCode(first.error) : (e as Error).message;
    const at = lineColumn(text, offset);
    throw new InputError(field, `${label}: invalid JSON at line ${at.line}, column ${at.column}: ${what}`);
  }
  let twice: { path: string; offset: number; proto: boolean } | null;
  try {
    twice = firstDuplicateKey(text);
  } catch (e) {
    // jsonc-parser's visitor recurses where JSON.parse does not (review: 6,000 nested arrays overflowed the stack)
    if (e instanceof RangeError) throw new InputError(field, `${label}: nested too deeply to be checked for duplicate keys`);
    throw e;
  }
  if (twice?.proto) throw new InputError(twice.path, 'no such field');
  if (twice) {
    const at = lineColumn(text, twice.offset);
    throw new InputError(twice.path, `appears twice in one object (${label}, line ${at.line}, column ${at.column}); JSON would silently keep the last value: remove one`);
  }
  return value;
}

/**
 * The first key that occurs twice in one object, with its path (as the validator names fields: `platforms.0.name`)
 * and offset. JSON.parse keeps the last value without a word, so a scenario with two `mass` entries ran on one of them.
 * Also the first key `__proto__` (`proto`): no file has such a field, and the schema library drops it without a word
 * where it parses a record (a sweep's `runs` and `grid`: the override vanished, review).
 */
function firstDuplicateKey(text: string): { path: string; offset: number; proto: boolean } | null {
  const open: Set<string>[] = [];
  let found: { path: string; offset: number; proto: boolean } | null = null;
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, offset, _length, _line, _column, path) => {
      const keys = open[open.length - 1];
      if (!found && (keys.has(key) || key === '__proto__')) found = { path: [...path(), key].join('.'), offset, proto: key === '__proto__' };
      keys.add(key);
    },
  });
  return found;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column };
}
