// The layering of src/ (issue 12): site/ renders a model and knows nothing of the database, so no
// file under src/site imports from src/summaries or src/store, not even a type; and no module
// imports itself through others. Read from the import statements as TypeScript parses them
// (static, type-only, re-exports and dynamic imports alike).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

const specifiers = (file: string) => ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);

/** The src/ file a relative specifier of `file` names (`.js` as the `.ts` it is compiled from). */
const srcFile = (file: string, name: string) => resolve(dirname(file), name).replace(/\.js$/, ".ts");

/** The src/ files `file` imports (relative specifiers). */
function importsOf(file: string): string[] {
  return specifiers(file)
    .filter((name) => name.startsWith("."))
    .map((name) => srcFile(file, name));
}

/** The specifiers of the imports and re-exports that load a module when `file` loads: not `import type`, not `import()`. */
function loadedAtStart(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const s of source.statements) {
    // (verbatimModuleSyntax keeps `import { type X }` as a load: only `import type` is dropped)
    if (ts.isImportDeclaration(s) && !s.importClause?.isTypeOnly && ts.isStringLiteral(s.moduleSpecifier)) out.push(s.moduleSpecifier.text);
    if (ts.isExportDeclaration(s) && !s.isTypeOnly && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) out.push(s.moduleSpecifier.text);
  }
  return out;
}

/** The src/ files reached from `start` through `imports` (a file's specifiers), and the packages (not node:) they name. */
function reached(start: string, imports: (file: string) => string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const name of imports(file)) {
      if (name.startsWith(".")) visit(srcFile(file, name));
      else if (!name.startsWith("node:")) packages.add(name);
    }
  };
  visit(start);
  return { files, packages };
}

const graph = new Map(sourceFiles(SRC).map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(SRC, f);

describe("the layers of src/", () => {
  it("finds the imports it checks", () => {
    // a check that found nothing would pass on anything
    expect(graph.get(join(SRC, "site/tree.ts"))).toContain(join(SRC, "site/model.ts"));
    expect(graph.get(join(SRC, "summaries/load.ts"))).toContain(join(SRC, "site/model.ts"));
    expect(importsOf(join(SRC, "site/render-site.ts"))).toContain(join(SRC, "site/render-worker.ts")); // a dynamic import()
  });

  it("site/ imports nothing from summaries/ or store/", () => {
    const crossing: string[] = [];
    for (const [file, imports] of graph) {
      if (!rel(file).startsWith("site/")) continue;
      for (const target of imports) if (/^(summaries|store)\//.test(rel(target))) crossing.push(`${rel(file)} imports ${rel(target)}`);
    }
    expect(crossing).toEqual([]);
  });

  it("a render worker loads no database code: no kysely, pg or PGlite among the packages it imports", () => {
    const { files: seen, packages } = reached(join(SRC, "site/render-worker.ts"), specifiers);
    expect(seen.size).toBeGreaterThan(20);
    expect([...packages].filter((p) => /^(kysely|pg|@electric-sql\/pglite)(\/|$)/.test(p))).toEqual([]);
    // and the loader, which does, is seen as doing so
    expect(specifiers(join(SRC, "summaries/load.ts"))).toContain("kysely");
  });

  it("a command that asks no AWS service loads no AWS SDK: none is reached from cli.ts, build or ingest by the imports run at load", () => {
    // ~250 ms of every command's start (the SDK's four clients); a run that asks AWS imports them when it does
    const aws = (start: string) => [...reached(join(SRC, start), loadedAtStart).packages].filter((p) => p.startsWith("@aws-sdk/"));
    for (const start of ["cli.ts", "commands/build.ts", "commands/ingest.ts", "commands/summarize.ts"]) expect(aws(start), start).toEqual([]);
    // and a command that does ask is seen as loading it
    expect(aws("commands/publish.ts")).toContain("@aws-sdk/client-s3");
  });

  it("has no import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, "open");
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === "open") cycles.push([...path.slice(path.indexOf(next)), next].map(rel).join(" → "));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
