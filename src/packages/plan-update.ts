// What `packages update` would change, computed without touching anything (so --dry-run is
// free): packages new in devel are added (first_version = devel), packages gone from devel are
// marked removed after the current release, packages back in devel are reinstated.
import type { DbCategory } from "../domain/categories.js";
import type { PackageName } from "../domain/types.js";
import type { PackageRecord } from "../sources/packages-csv.js";
import type { Manifest } from "../sources/bioc-manifests.js";
import { compareCollation } from "../domain/order.js";
import { unsafeNameReason } from "../domain/package-names.js";

export type PackageChange =
  | { readonly kind: "add"; readonly name: PackageName; readonly category: DbCategory; readonly firstVersion: string }
  | { readonly kind: "remove"; readonly name: PackageName; readonly lastVersion: string }
  | { readonly kind: "reinstate"; readonly name: PackageName };

export interface PackagesPlan {
  readonly changes: PackageChange[];
  /** Manifest names not added because they break the package name rule: one reason each, naming it. */
  readonly refused: string[];
}

export function planPackagesUpdate(current: readonly PackageRecord[], manifest: Manifest): PackagesPlan {
  const known = new Map(current.map((p) => [p.name as string, p]));
  const changes: PackageChange[] = [];
  const refused: string[] = [];
  for (const [name, category] of manifest.packages) {
    const p = known.get(name);
    if (!p) {
      // Added, such a name would stop every build; one already in the table is left as it is (the build skips it).
      const bad = unsafeNameReason(name);
      if (bad) refused.push(bad);
      else changes.push({ kind: "add", name: name as PackageName, category, firstVersion: manifest.devel });
    } else if (p.lastVersion !== null) changes.push({ kind: "reinstate", name: p.name });
  }
  for (const p of current) {
    if (p.lastVersion === null && !manifest.packages.has(p.name)) changes.push({ kind: "remove", name: p.name, lastVersion: manifest.release });
  }
  return { changes: changes.sort((a, b) => a.kind.localeCompare(b.kind) || compareCollation(a.name, b.name)), refused: refused.sort() };
}

export function describeChange(c: PackageChange): string {
  switch (c.kind) {
    case "add":
      return `add       ${c.name} (${c.category}, first in ${c.firstVersion})`;
    case "remove":
      return `remove    ${c.name} (last in ${c.lastVersion})`;
    case "reinstate":
      return `reinstate ${c.name}`;
  }
}
