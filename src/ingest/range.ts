// Which days an ingest from logs covers: --since/--until, by default the day after ValidThru
// through yesterday (UTC). A range that would leave days missing after ValidThru is refused:
// the site would show them as zero downloads.
import { addDays, parseIsoDate, toIsoDate } from "../domain/dates.js";
import type { IsoDate } from "../domain/types.js";
import { GapAfterValidThru, UsageError } from "../errors.js";

export interface RangeRequest {
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly allowGap: boolean;
  readonly now: Date;
}

function dateFlag(name: string, value: string | undefined): IsoDate | null {
  if (value === undefined) return null;
  const d = parseIsoDate(value);
  if (!d) throw new UsageError(`${name} ${JSON.stringify(value)} is not a date (want YYYY-MM-DD)`);
  return d;
}

/** --since and --until as the flags alone can tell (dates, in order), before the store is opened. */
export function checkRangeFlags(since: string | undefined, until: string | undefined): void {
  const [first, last] = [dateFlag("--since", since), dateFlag("--until", until)];
  if (first && last && last < first) throw new UsageError(`--until ${last} is before --since ${first}`);
}

export function resolveRange(request: RangeRequest, validThru: IsoDate | null): [IsoDate, IsoDate] | null {
  const yesterday = addDays(toIsoDate(request.now), -1);
  const since = dateFlag("--since", request.since) ?? (validThru ? addDays(validThru, 1) : null);
  if (!since) throw new UsageError("nothing ingested yet: give --since DATE for the first ingest");
  const until = dateFlag("--until", request.until) ?? yesterday;
  if (until < since) {
    if (request.since === undefined && request.until === undefined) return null; // already up to date
    throw new UsageError(`--until ${until} is before --since ${since}`);
  }
  if (validThru && since > addDays(validThru, 1) && !request.allowGap) {
    throw new GapAfterValidThru(
      `--since ${since} would leave ${addDays(validThru, 1)}..${addDays(since, -1)} missing after ValidThru ${validThru}; ingest those days first, or pass --allow-gap`,
    );
  }
  return [since, until];
}
