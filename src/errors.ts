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

/** Longest stretch of a value a message shows: enough to recognise it, never a whole 50 MB line. */
const QUOTED_CHARS = 100;

/** A value as messages show it: JSON-quoted (so control characters stay on one line), cut to about 100 characters. */
export function quote(value: string): string {
  if (value.length <= QUOTED_CHARS) return JSON.stringify(value);
  // Cutting inside a surrogate pair would show half a character.
  const end = /[\uD800-\uDBFF]/.test(value[QUOTED_CHARS - 1]!) ? QUOTED_CHARS - 1 : QUOTED_CHARS;
  return `${JSON.stringify(value.slice(0, end))}… (${value.length} characters)`;
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
