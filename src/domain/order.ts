// The two name orders of the site. They differ on purpose (see the spec's "Ordering rules"):
// both are observable in the live output, and neither may come from the database.

const collator = new Intl.Collator("en-US", { ignorePunctuation: true });

/** By UTF-16 code units, as `<` compares: paths, keys, anything not shown in a name order. */
export const codeUnitCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The live database's en_US.UTF-8 order (used by .tab files and bioc_packages.txt): case-
 * insensitive first, punctuation ignored, lowercase before uppercase on ties; remaining ties
 * by code units so that the output is deterministic.
 */
export function compareCollation(a: string, b: string): number {
  return collator.compare(a, b) || codeUnitCompare(a, b);
}

export function sortByCollation<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareCollation(name(x), name(y)));
}

/**
 * The category page's letter index: by the lowercased name in code-unit order, stable on
 * ties with collation order; grouped by the first character uppercased.
 */
export function groupByLetter<T>(items: readonly T[], name: (item: T) => string): Array<[string, T[]]> {
  const sorted = sortByCollation(items, name).sort((x, y) => codeUnitCompare(name(x).toLowerCase(), name(y).toLowerCase()));
  const groups = new Map<string, T[]>();
  for (const item of sorted) {
    const letter = name(item).charAt(0).toUpperCase();
    const group = groups.get(letter);
    if (group) group.push(item);
    else groups.set(letter, [item]);
  }
  return [...groups];
}
