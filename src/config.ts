// Flags and environment, resolved once into one readonly object that is passed down. Inner
// modules never read process.env or process.cwd().
import { resolve } from "node:path";

export interface GlobalOptions {
  /** postgres://… from --db or DATABASE_URL; undefined = embedded PGlite. */
  readonly databaseUrl: string | undefined;
  /** PGlite data folder (absolute). */
  readonly dataDir: string;
  readonly quiet: boolean;
  readonly cwd: string;
  /** The user's home folder (a build never replaces it). */
  readonly home: string;
}

export interface RawGlobalFlags {
  db?: string;
  dataDir?: string;
  quiet?: boolean;
}

export const DEFAULT_DATA_DIR = ".webstats/db";

export function resolveGlobalOptions(flags: RawGlobalFlags, env: NodeJS.ProcessEnv, cwd: string, home: string): GlobalOptions {
  return {
    databaseUrl: flags.db || env.DATABASE_URL || undefined,
    dataDir: resolve(cwd, flags.dataDir || env.WEBSTATS_DATA_DIR || DEFAULT_DATA_DIR),
    quiet: Boolean(flags.quiet),
    cwd,
    home,
  };
}
