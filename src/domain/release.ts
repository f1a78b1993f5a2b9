// A Bioconductor release as the packages table stores it (`first_version`, `last_version`):
// text holding major × 100 + minor, so `3.21` is `321`, `3.9` is `309`, `3.10` is `310` and
// `2.14` is `214` (what data/packages-history.csv and the fixtures hold). A 10.x release is
// four digits: `10.1` is `1001`, `10.12` is `1012`; a minor of 100 or more has no encoding.
// A two-digit value is read as major digit then minor digit (`39` is 3.9, as webstats has always
// shown it; `encodeRelease` never makes one): no real release is 0.x, so that never collides.

const VERSION = /^(\d+)\.(\d+)$/;

/** `"3.21"` → `"321"`, `"3.9"` → `"309"`, `"10.1"` → `"1001"`; null when it is not a release. */
export function encodeRelease(version: string): string | null {
  const m = VERSION.exec(version.trim());
  if (!m) return null;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (minor >= 100) return null;
  return String(major * 100 + minor);
}

/** The major and minor of an encoded release, or null when the value is not one (empty, not digits, one digit). */
export function releaseParts(encoded: string): { readonly major: number; readonly minor: number } | null {
  if (!/^\d{2,}$/.test(encoded)) return null;
  if (encoded.length === 2) return { major: Number(encoded[0]), minor: Number(encoded[1]) };
  const n = Number(encoded);
  return { major: Math.floor(n / 100), minor: n % 100 };
}

/** `"319"` → `"3.19"`, `"310"` → `"3.10"`, `"39"` → `"3.9"`, `"1001"` → `"10.1"`; a value that is not an encoded release is shown as it is. */
export function formatRelease(encoded: string): string {
  const parts = releaseParts(encoded);
  return parts ? `${parts.major}.${parts.minor}` : encoded;
}

/** As formatRelease; null or empty (`last_version` while the package is in devel) stays null. */
export function decodeRelease(encoded: string | null): string | null {
  if (encoded === null || encoded === "") return null;
  return formatRelease(encoded);
}
