/**
 * Layering (DESIGN.md §1): every relative import in src/ must follow the layer table. The imports are read
 * with the TypeScript parser (static `import`/`export … from`, `import x = require`, and `import('…')`),
 * so a multi-line or dynamic import cannot slip past a regex.
 *
 * Two readings of the table, applied everywhere:
 *  - `scenario` is the leftmost layer and defines the input types every layer works on, so type-only
 *    imports from it are allowed from any layer; so is `InputError` (scenario/errors.ts), which
 *    /tmp/rules.md asks every layer to throw on bad input. Value imports of other scenario modules
 *    follow the table (only batch and cli).
 *  - model's public functions take an `LpSolver`, so a layer that may import model may also import lp's
 *    *types* (to pass a solver through); value imports of lp follow the table (model, checker, cli), plus
 *    batch: its worker threads host the runs, and each must load the one LP backend it hands the engine
 *    (DESIGN.md §2: HiGHS is loaded once per process and reused). lp imports nothing in src, so the edge
 *    points leftwards; the engine itself only receives a solver (SimulateOptions.lp).
 *
 * SCENARIO_HELPERS names the few scenario functions (not modules) a layer may call beyond that, each with
 * its reason; an import of any other name from those modules still follows the table.
 *
 * KNOWN lists today's violations with the reason each is not yet fixed. The test fails on any edge not
 * allowed and not listed, and on a listed edge that no longer exists (so the list only shrinks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** DESIGN.md §1: the layers each folder may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  scenario: [],
  model: ['scenario-types', 'lp'],
  lp: [],
  checker: ['model', 'lp'],
  agents: ['model'],
  engine: ['agents', 'model', 'checker'],
  batch: ['engine', 'checker', 'scenario', 'lp'],
  report: ['batch-types'],
  cli: ['scenario', 'model', 'lp', 'checker', 'agents', 'engine', 'batch', 'report'],
};

/**
 * Scenario functions other layers may import by name (value imports), and why each is an exception rather
 * than a violation. Both sit in scenario because scenario is the leftmost layer: it may import nothing, and
 * what it needs must live in it or nowhere.
 */
const SCENARIO_HELPERS: Record<string, { names: readonly string[]; layers: readonly string[]; why: string }> = {
  'scenario/validate.ts': {
    names: ['communityEigenvalues', 'platformNames', 'merchantLabels'],
    layers: ['checker'],
    why:
      'the block covariance spectrum (pure, closed form) is needed by validation (PSD check) before any model ' +
      'code runs, so it cannot live in model; the checker reuses it for the de-correlation invertibility check ' +
      'instead of a second copy (mathematics written once). platformNames: validation refuses two platforms ' +
      'with one name, and the checker labels its output with the same names (one rule, not three copies)',
  },
  'scenario/json.ts': {
    names: ['readJsonFile'],
    layers: ['report'],
    why:
      'reading a JSON file the user points at, with InputError field and line/column positions, is input ' +
      'handling owned by scenario; report reads summary.json, sweep.json and manifest.json from a folder the ' +
      'user names and must fail the same way (exit 2), not with a second reader and other messages',
  },
};

/** Violations present when this test was written: `from-file -> to-file`, with why each is still there. */
const KNOWN: Record<string, string> = {};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
  /** Imported names of a named import (`import { a, b as c }` → a, b); absent for default, namespace, dynamic or re-export-all. */
  names?: readonly string[];
}

/** The imported names of `import { … } from`, or undefined when the import also binds a default or namespace. */
function importedNames(d: ts.ImportDeclaration): string[] | undefined {
  const c = d.importClause;
  if (!c || c.name || !c.namedBindings || !ts.isNamedImports(c.namedBindings)) return undefined;
  return c.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text);
}

function isTypeOnlyImport(d: ts.ImportDeclaration): boolean {
  const c = d.importClause;
  if (!c) return false; // side-effect import
  if (c.isTypeOnly) return true;
  if (c.name) return false;
  const b = c.namedBindings;
  return !!b && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(d: ts.ExportDeclaration): boolean {
  if (d.isTypeOnly) return true;
  const c = d.exportClause;
  return !!c && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
}

/** Every import of `file` as (specifier, type-only, imported names when it is a plain named import). */
function importsOf(file: string): { spec: string; typeOnly: boolean; names?: string[] }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: { spec: string; typeOnly: boolean; names?: string[] }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const names = importedNames(n);
      out.push({ spec: n.moduleSpecifier.text, typeOnly: isTypeOnlyImport(n), ...(names ? { names } : {}) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, typeOnly: isTypeOnlyExport(n) });
    } else if (
      ts.isImportEqualsDeclaration(n) &&
      ts.isExternalModuleReference(n.moduleReference) &&
      ts.isStringLiteral(n.moduleReference.expression)
    ) {
      out.push({ spec: n.moduleReference.expression.text, typeOnly: n.isTypeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      out.push({ spec: a && ts.isStringLiteralLike(a) ? a.text : '<computed>', typeOnly: false });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, typeOnly: true }); // `import('…').T` in a type position
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function edges(): Edge[] {
  return walk(SRC).flatMap((file) =>
    importsOf(file)
      .filter((i) => i.spec.startsWith('.') || i.spec === '<computed>')
      .map((i) => ({
        from: relative(SRC, file),
        to: i.spec === '<computed>' ? '<computed>' : relative(SRC, resolve(dirname(file), i.spec)).replace(/\.js$/, '.ts'),
        typeOnly: i.typeOnly,
        ...(i.names ? { names: i.names } : {}),
      })),
  );
}

const layerOf = (p: string): string => p.split('/')[0];

function allowed(e: Edge): boolean {
  const from = layerOf(e.from);
  const to = layerOf(e.to);
  if (e.to === '<computed>') return false;
  if (e.to.startsWith('..')) return false; // outside src/
  if (from === to) return true;
  const rules = ALLOWED[from];
  if (!rules) return false; // a file outside the known layers
  if (to === 'scenario' && (e.typeOnly || e.to === 'scenario/errors.ts')) return true;
  const helper = to === 'scenario' ? SCENARIO_HELPERS[e.to] : undefined;
  if (helper && helper.layers.includes(from) && e.names && e.names.length > 0 && e.names.every((n) => helper.names.includes(n))) return true;
  if (to === 'lp' && e.typeOnly && (rules.includes('model') || rules.includes('lp'))) return true;
  if (rules.includes(to)) return true;
  if (e.typeOnly && rules.includes(`${to}-types`)) return true;
  return false;
}

describe('architecture (DESIGN.md §1)', () => {
  const all = edges();

  it('reads the imports of every module (parser sanity)', () => {
    expect(Object.keys(ALLOWED).every((l) => all.some((e) => layerOf(e.from) === l) || l === 'lp' || l === 'scenario')).toBe(true);
    // A type-only and a value import are told apart (engine/options.ts imports the Dynamics type and InputError).
    expect(all).toContainEqual(expect.objectContaining({ from: 'engine/options.ts', to: 'scenario/schema.ts', typeOnly: true }));
    expect(all).toContainEqual(expect.objectContaining({ from: 'engine/options.ts', to: 'scenario/errors.ts', typeOnly: false }));
    // Named imports are read by name (what SCENARIO_HELPERS checks).
    expect(all).toContainEqual({ from: 'engine/options.ts', to: 'scenario/errors.ts', typeOnly: false, names: ['InputError'] });
  });

  it('the rule itself rejects rightward edges', () => {
    expect(allowed({ from: 'model/x.ts', to: 'checker/y.ts', typeOnly: true })).toBe(false);
    expect(allowed({ from: 'engine/x.ts', to: 'batch/y.ts', typeOnly: false })).toBe(false);
    expect(allowed({ from: 'report/x.ts', to: 'batch/y.ts', typeOnly: false })).toBe(false);
    expect(allowed({ from: 'report/x.ts', to: 'batch/y.ts', typeOnly: true })).toBe(true);
    expect(allowed({ from: 'lp/x.ts', to: 'model/y.ts', typeOnly: true })).toBe(false);
    expect(allowed({ from: 'scenario/x.ts', to: 'model/y.ts', typeOnly: true })).toBe(false);
    expect(allowed({ from: 'checker/x.ts', to: 'scenario/validate.ts', typeOnly: false })).toBe(false);
    expect(allowed({ from: 'agents/x.ts', to: 'checker/y.ts', typeOnly: false })).toBe(false);
  });

  it('scenario helpers are allowed by name and layer only', () => {
    const spectrum = { from: 'checker/x.ts', to: 'scenario/validate.ts', typeOnly: false };
    expect(allowed({ ...spectrum, names: ['communityEigenvalues'] })).toBe(true);
    expect(allowed({ ...spectrum, names: ['communityEigenvalues', 'validateScenario'] })).toBe(false);
    expect(allowed(spectrum)).toBe(false); // namespace/default/dynamic import: names unknown
    expect(allowed({ ...spectrum, from: 'agents/x.ts', names: ['communityEigenvalues'] })).toBe(false);
    expect(allowed({ from: 'report/x.ts', to: 'scenario/json.ts', typeOnly: false, names: ['readJsonFile'] })).toBe(true);
    expect(allowed({ from: 'engine/x.ts', to: 'scenario/json.ts', typeOnly: false, names: ['readJsonFile'] })).toBe(false);
    expect(allowed({ from: 'model/x.ts', to: 'scenario/json.ts', typeOnly: false, names: ['readJsonFile'] })).toBe(false);
  });

  it('no module imports from a layer to its right or above it (except the KNOWN list)', () => {
    const bad = [...new Set(all.filter((e) => !allowed(e)).map((e) => `${e.from} -> ${e.to}`))].sort();
    const unlisted = bad.filter((b) => !(b in KNOWN));
    expect(unlisted, 'forbidden imports (DESIGN.md §1)').toEqual([]);
    const stale = Object.keys(KNOWN).filter((k) => !bad.includes(k));
    expect(stale, 'KNOWN entries that are fixed: remove them').toEqual([]);
  });
});
