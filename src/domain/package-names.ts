// Which package names webstats accepts: Bioconductor's (R's) rule, and none that a category folder
// already uses for a file. Every way into the packages table checks this, and the build skips a
// name that breaks it (the legacy table, filled by other tools, may hold anything).
import { isCategoryFolderFile } from "./category-folder.js";
import { quote } from "../errors.js";

/** The column's size in `packages` and `bioc_web_downloads`. */
export const MAX_NAME_LENGTH = 64;

// R's valid_package_name (Writing R Extensions, "The DESCRIPTION file"): ASCII letters, digits
// and dots, a letter first, not ending in a dot, so at least two characters. Case matters:
// `TReNA` and `trena` are two packages.
const BIOC_NAME = /^[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]$/;

/** Why `name` cannot be a package of the site (it names the package), or null when it can. */
export function unsafeNameReason(name: string): string | null {
  if (name === "") return "empty package name";
  if (name.length > MAX_NAME_LENGTH) return `package name ${quote(name)} is longer than ${MAX_NAME_LENGTH} characters`;
  if (!BIOC_NAME.test(name))
    return `package name ${quote(name)} is not a Bioconductor name (want a letter, then letters, digits and dots, not ending in a dot)`;
  // `index.html` passes the rule, but its folder would stand where the category's page is.
  if (isCategoryFolderFile(name)) return `package name ${quote(name)} is the name of a file in the category folder`;
  return null;
}
