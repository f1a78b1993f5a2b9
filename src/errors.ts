// Errors a user can act on. Inner modules throw them by kind (a source that cannot be read,
// bad input, a lock held) and never pick an exit code: each kind's code is declared here,
// once. Commands throw ExitError(code) for what they decide themselves. Only the CLI entry
// point (cli.ts) turns any of them into the process's exit code.

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure whose message says all the user needs; `code` is the exit code cli.ts ends the run with. */
export abstract class ActionableError extends Error {
  abstract readonly code: number;
}

/** The kinds that exit 1: the run failed (bad input, a source unreadable, …), nothing half-written. */
abstract class RunFailed extends ActionableError {
  readonly code = EXIT.failed;
}

/** The kinds that exit 2: the run was refused before it changed anything (usage, a lock held, a gap, …). */
abstract class RunRefused extends ActionableError {
  readonly code = EXIT.usage;
}

/** Wrong flags or arguments: exit 2. */
export class UsageError extends RunRefused {
  override readonly name = "UsageError";
}

/** Configuration that is missing or wrong (a parameter, a secret, a config file): the message names it. Exit 2. */
export class BadConfig extends RunRefused {
  override readonly name = "BadConfig";
}

/** Bad input data: names the file, the line and the value. Exit 1. */
export class InputError extends RunFailed {
  override readonly name = "InputError";
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
  }
}

/** What a command decides itself: stop the run with this exit code. */
export class ExitError extends ActionableError {
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

/** Another process holds a lock this command needs (a writer of the database, a build). Exit 2. */
export class LockHeld extends RunRefused {
  override readonly name = "LockHeld";
}

/** An ingest would leave days missing between ValidThru and its first day. Exit 2. */
export class GapAfterValidThru extends RunRefused {
  override readonly name = "GapAfterValidThru";
}

/** webstats' summary tables are not complete (never filled, or a summarize was interrupted). Exit 2. */
export class NeedsSummarize extends RunRefused {
  override readonly name = "NeedsSummarize";
}

/** A source that could not be read (a log file, a manifest URL, the Parameter Store, a bucket): the message names it. Exit 1. */
export class SourceUnreadable extends RunFailed {
  override readonly name = "SourceUnreadable";
}

/** More malformed log lines than --max-bad-lines allows. Exit 1. */
export class TooManyBadLines extends RunFailed {
  override readonly name = "TooManyBadLines";
}

/** Bioconductor's config.yaml lacks a version, or holds one that is not a release. Exit 1. */
export class BadManifest extends RunFailed {
  override readonly name = "BadManifest";
}

/** Athena ended a query as FAILED or CANCELLED (its reason in the message). Exit 1. */
export class AthenaQueryFailed extends RunFailed {
  override readonly name = "AthenaQueryFailed";
}
