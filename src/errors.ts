// Errors a user can act on. Only the CLI entry point turns them into exit codes.

/** Wrong flags or arguments: exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Bad input data: names the file, the line and the value. Exit 1. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

/** Any other failure that must stop the run with a given exit code. */
export class ExitError extends Error {
  override readonly name = "ExitError";
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Another process holds a lock this command needs (a writer of the database, a build). Exit 2. */
export class LockHeld extends Error {
  override readonly name = "LockHeld";
}

/** An ingest would leave days missing between ValidThru and its first day. Exit 2. */
export class GapAfterValidThru extends Error {
  override readonly name = "GapAfterValidThru";
}

/** webstats' summary tables are not complete (never filled, or a summarize was interrupted). Exit 2. */
export class NeedsSummarize extends Error {
  override readonly name = "NeedsSummarize";
}
