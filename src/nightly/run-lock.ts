// One nightly at a time per site folder: a lock file beside it, holding the owner's pid. A lock
// whose process is gone (a crash, a reboot) is taken over.
import { open, readFile, rm } from "node:fs/promises";

export async function takeRunLock(path: string): Promise<(() => Promise<void>) | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (owner > 0 && isAlive(owner)) return null;
      await rm(path, { force: true }); // stale
    }
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
