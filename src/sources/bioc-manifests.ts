// Bioconductor's own manifests: config.yaml names the release and devel versions, and each
// repository's devel PACKAGES file lists the packages now in devel.
import type { DbCategory } from "../domain/categories.js";
import { CATEGORIES } from "../domain/categories.js";
import { encodeRelease } from "../domain/release.js";
import { BadManifest, SourceUnreadable, quote } from "../errors.js";

export interface Manifest {
  /** Encoded (domain/release.ts): `3.21` → `321`. */
  readonly release: string;
  readonly devel: string;
  readonly packages: ReadonlyMap<string, DbCategory>;
}

export function parseConfigVersions(yaml: string, url: string): { release: string; devel: string } {
  const value = (key: string) => {
    const m = new RegExp(`^${key}:\\s*["']?([\\d.]+)["']?\\s*$`, "m").exec(yaml);
    if (!m) throw new BadManifest(`${url}: no ${key}`);
    const encoded = encodeRelease(m[1]!);
    if (encoded === null) throw new BadManifest(`not a Bioconductor version: ${quote(m[1]!)}`);
    return encoded;
  };
  return { release: value("release_version"), devel: value("devel_version") };
}

export function parsePackagesFile(text: string): string[] {
  return [...text.matchAll(/^Package:\s*(\S+)\s*$/gm)].map((m) => m[1]!);
}

async function get(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new SourceUnreadable(`${url}: ${(e as Error).message}`);
  }
  if (response.status !== 200) throw new SourceUnreadable(`${url}: HTTP ${response.status}`);
  return response.text();
}

export async function fetchManifest(baseUrl: string): Promise<Manifest> {
  const base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  const configUrl = base + "config.yaml";
  const { release, devel } = parseConfigVersions(await get(configUrl), configUrl);
  const packages = new Map<string, DbCategory>();
  for (const c of CATEGORIES) {
    for (const name of parsePackagesFile(await get(`${base}packages/devel/${c.key.replace("-", "/")}/src/contrib/PACKAGES`))) packages.set(name, c.db);
  }
  return { release, devel, packages };
}
