// The legacy tables, with the legacy names and columns, so that webstats can be pointed at the
// production database as it is.
import type { Generated } from "kysely";

export interface BiocWebDownloadsTable {
  date: string;
  "c-ip": string;
  "sc-status": number;
  category: string;
  package: string;
}

export interface PackagesTable {
  package: string;
  category: string;
  first_version: string;
  last_version: string | null;
}

export interface StatsTable {
  category: string;
  package: string;
  date: string;
  is_monthly: boolean;
  ip_count: number;
  download_count: number;
}

export interface CategorystatsTable {
  category: string;
  date: string;
  is_monthly: boolean;
  ip_count: number;
  download_count: number;
}

export interface WebstatsInfoTable {
  key: string;
  value: string | null;
}

export interface WebstatsMigrationsTable {
  name: string;
  applied_at: Generated<string>;
}

export interface IngestRunsTable {
  id: Generated<number>;
  source: string;
  first_date: string | null;
  last_date: string | null;
  files: Generated<number>;
  lines: Generated<number>;
  rows_kept: Generated<number>;
  bad_lines: Generated<number>;
  skipped_files: Generated<string>;
  started_at: Generated<string>;
  finished_at: string | null;
  outcome: Generated<"running" | "ok" | "failed" | "abandoned">;
  message: string | null;
  done_through: string | null;
  source_version: string | null;
}

export interface Database {
  bioc_web_downloads: BiocWebDownloadsTable;
  packages: PackagesTable;
  stats: StatsTable;
  categorystats: CategorystatsTable;
  /** The counts without crawlers and repeats (sql/007_filtered_counts.sql), shaped as stats and categorystats. */
  webstats_filtered_stats: StatsTable;
  webstats_filtered_categorystats: CategorystatsTable;
  webstats_info: WebstatsInfoTable;
  webstats_migrations: WebstatsMigrationsTable;
  webstats_ingest_runs: IngestRunsTable;
}
