// Releases as the packages table encodes them (`319`) and as the API writes them (`3.19`).
import { formatRelease } from "../views.js";

/** `319` → `"3.19"`, `211` → `"2.11"`, `308` → `"3.8"`; null stays null (last_version while in devel). */
export function decodeRelease(encoded: string | null): string | null {
  if (encoded === null || encoded === "") return null;
  return formatRelease(encoded);
}
