// A lock file held by one process: the nightly's, a build's slots, a PGlite data folder. It
// names its owner by pid, the process's start time and the boot, so a lock whose owner is gone
// (a crash, kill -9, a reboot, a container restarted where pid 1 is someone else now) is taken
// over, and a live owner's never is.
import { hostname } from "node:os";
import { link, open, readFile, rename, rm } from "node:fs/promises";

interface Owner {
  readonly pid: number;
  /** Clock ticks since boot when the process started (/proc/PID/stat); null off Linux. */
  readonly start: string | null;
  readonly boot: string | null;
  readonly host: string;
}

async function readProc(path: string): Promise<string | null> {
  return readFile(path, "utf8").then(
    (t) => t.trim(),
    () => null,
  );
}

async function processStart(pid: number): Promise<string | null> {
  const stat = await readProc(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
}

async function self(): Promise<Owner> {
  return { pid: process.pid, start: await processStart(process.pid), boot: await readProc("/proc/sys/kernel/random/boot_id"), host: hostname() };
}

function parseOwner(text: string): Owner | null {
  // Older webstats wrote the bare pid.
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()), start: null, boot: null, host: hostname() };
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return typeof o.pid === "number" && typeof o.host === "string" ? { pid: o.pid, start: o.start ?? null, boot: o.boot ?? null, host: o.host } : null;
  } catch {
    return null;
  }
}

/** False only when the owner is surely gone; an owner on another host is always taken as alive. */
async function isAlive(owner: Owner, me: Owner): Promise<boolean> {
  if (owner.host !== me.host) return true;
  if (owner.boot && me.boot && owner.boot !== me.boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.start === null) return true;
  return (await processStart(owner.pid)) === owner.start;
}

export interface HeldBy {
  readonly pid: number;
  readonly host: string;
}

/**
 * Takes the lock at `path`: a release function, or who holds it. The lock file is made whole
 * beside it and linked into place, so no one ever reads a half-written one.
 */
export async function takeLock(path: string): Promise<{ release: () => Promise<void> } | { heldBy: HeldBy }> {
  const me = await self();
  const mine = `${path}.${me.pid}.tmp`;
  const handle = await open(mine, "w");
  await handle.writeFile(JSON.stringify(me));
  await handle.close();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, path);
        return { release: () => rm(path, { force: true }) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const text = await readFile(path, "utf8").catch(() => null);
      if (text === null) continue; // released meanwhile
      const owner = parseOwner(text);
      if (owner && (await isAlive(owner, me))) return { heldBy: { pid: owner.pid, host: owner.host } };
      // Stale (or unreadable garbage). Move it aside before removing it, and only remove what
      // we judged: if another process took it over meanwhile, the moved file is theirs.
      const aside = `${path}.stale-${me.pid}`;
      if (
        await rename(path, aside).then(
          () => true,
          () => false,
        )
      ) {
        if ((await readFile(aside, "utf8").catch(() => null)) === text) await rm(aside, { force: true });
        else
          await link(aside, path).then(
            () => rm(aside),
            () => {},
          );
      }
    }
    const text = await readFile(path, "utf8").catch(() => "");
    const owner = parseOwner(text);
    return { heldBy: { pid: owner?.pid ?? 0, host: owner?.host ?? "?" } };
  } finally {
    await rm(mine, { force: true });
  }
}

/** takeLock for callers that only need to know whether they have it. */
export async function takeRunLock(path: string): Promise<(() => Promise<void>) | null> {
  const lock = await takeLock(path);
  return "release" in lock ? lock.release : null;
}
