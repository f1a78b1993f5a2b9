// The daily export's months that the model holds no days of (DailyMonth.loaded: the model holds
// the months the daily series show), made before the tree is rendered, a month at a time, each
// from its own read. A build then holds at most one such month in memory, whatever the years of
// history: a first build of 15 years would otherwise hold 15 years of package-days (~400 MB).
// The render's plan leaves these months out; their files join the tree's manifest from here.
import { categoryOfDb, type CategoryKey, type DbCategory } from "../../domain/categories.js";
import { unsafeNameReason } from "../../domain/package-names.js";
import type { IsoDate } from "../../domain/types.js";
import { NO_DAILY_ROWS, type PackedSiteData, type ReadMonthDays } from "../model.js";
import { heldFromKey, writeUnlessHeld } from "../slot-files.js";
import { md5, type Slot, type TreeHashes, type TreeKeys } from "../tree-slots.js";
import { dailyExportMonths, dailyExportSitePath, monthOfIndex, renderDailyMonth, type ExportPackage } from "./daily-export.js";
import { compareApiOrder } from "./summaries.js";

export interface MadeApart {
  /** path → MD5 of each of those months' files, and path → key. */
  readonly hashes: TreeHashes;
  readonly keys: TreeKeys;
  /** The months read (first days), ascending: those the slot did not hold made from their key. */
  readonly read: readonly IsoDate[];
  /** Files whose content changed (or were new), and so were written. */
  readonly written: number;
  readonly bytes: number;
}

export const NOTHING_APART: MadeApart = { hashes: new Map(), keys: new Map(), read: [], written: 0, bytes: 0 };

/** Writes into `slot` the export's months that the model holds no days of, unless it holds them made from the same key. */
export async function makeMonthsApart(packed: PackedSiteData, slot: Slot, readMonth: ReadMonthDays): Promise<MadeApart> {
  const hashes = new Map<string, string>();
  const keys = new Map<string, string>();
  const made = new Set<string>();
  const read: IsoDate[] = [];
  let written = 0;
  let bytes = 0;
  let packages: ReadonlyArray<{ name: string; db: DbCategory; key: CategoryKey }> | undefined;
  for (const m of dailyExportMonths(packed.dailyMonths, packed.validThru)) {
    if (m.loaded) continue;
    const path = dailyExportSitePath(m.month);
    keys.set(path, m.key);
    const size = heldFromKey(slot.dir, slot.holds, slot.keys, path, m.key);
    if (size !== null) {
      hashes.set(path, slot.holds.get(path)!);
      bytes += size;
      continue;
    }
    // The packages of the API (planSite leaves out the names that cannot be in the site), in its order.
    packages ??= packed.packages
      .filter((p) => categoryOfDb(p.category) && unsafeNameReason(p.name) === null)
      .map((p) => ({ name: p.name, db: p.category, key: categoryOfDb(p.category)!.key }))
      .sort((a, b) => compareApiOrder(a.name, a.key, b.name, b.key));
    const month = monthOfIndex(m.month);
    const days = await readMonth(month);
    read.push(month);
    const body = renderDailyMonth(
      packages.map((p): ExportPackage => ({ name: p.name, key: p.key, daily: days.get(p.db)?.get(p.name) ?? NO_DAILY_ROWS })),
      m.month,
    );
    const hash = md5(body);
    hashes.set(path, hash);
    bytes += body.length;
    if (writeUnlessHeld(slot.dir, slot.holds, path, body, hash, body.length, made)) written++;
  }
  return { hashes, keys, read, written, bytes };
}
