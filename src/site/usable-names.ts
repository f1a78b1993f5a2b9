// Packages whose name cannot be a package of the site are left out of the whole build (legacy
// tree, API, explore page alike), decided once here so that every part agrees on the set and the
// build warns once per package. Only a table that other tools filled can hold such a name: every
// way webstats writes one checks it. Their downloads stay in their category's combined counts,
// which the database computed.
import { codeUnitCompare } from "../domain/order.js";
import { unsafeNameReason } from "../domain/package-names.js";
import type { CategoryData, SiteData } from "./model.js";

export interface UsableSiteData {
  readonly data: SiteData;
  /** One reason per package left out (it names the package), in code-unit order of the names. */
  readonly skipped: readonly string[];
}

export function withoutUnusableNames(data: SiteData): UsableSiteData {
  const reasons = new Map<string, string | null>();
  const reasonFor = (name: string) => {
    let r = reasons.get(name);
    if (r === undefined) reasons.set(name, (r = unsafeNameReason(name)));
    return r;
  };
  const names = [...data.packages.map((p) => p.name), ...data.categories.flatMap((cd) => [...cd.packages.keys(), ...cd.last30.keys(), ...cd.daily.keys()])];
  const bad = [...new Set(names.filter((n) => reasonFor(n) !== null))].sort(codeUnitCompare);
  if (bad.length === 0) return { data, skipped: [] };
  const usable = <K extends string, V>(map: ReadonlyMap<K, V>) => new Map([...map].filter(([name]) => reasonFor(name) === null));
  return {
    data: {
      ...data,
      packages: data.packages.filter((p) => reasonFor(p.name) === null),
      categories: data.categories.map((cd): CategoryData => ({
        ...cd,
        packages: usable(cd.packages),
        last30: usable(cd.last30),
        daily: usable(cd.daily),
        ...(cd.filtered ? { filtered: { ...cd.filtered, packages: usable(cd.filtered.packages), daily: usable(cd.filtered.daily) } } : {}),
      })),
    },
    skipped: bad.map((n) => reasonFor(n)!),
  };
}
