// How every command holds the store: opened (PGlite: its folder locked), the writer lock taken
// first by commands that write, so a second writer stops before it reads or writes anything,
// and closed whatever happens. A server that goes away is named, with what that means for
// the data: the transaction open at that moment is rolled back by the server.
import { ExitError } from "../errors.js";
import { isConnectionLost, openStore, serverName, type Store, type StoreOptions } from "../store/database.js";

/** invalid_password, invalid_authorization_specification: a wrong password or user, or no pg_hba.conf entry. */
const LOGIN_REFUSED = new Set(["28P01", "28000"]);

export async function withStore<T>(options: StoreOptions, access: "read" | "write", work: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openStore(options);
  } catch (e) {
    if (isConnectionLost(e) && options.databaseUrl) {
      throw new ExitError(`cannot reach PostgreSQL at ${serverName(options.databaseUrl)} (${(e as Error).message}); nothing done`, 1);
    }
    if (LOGIN_REFUSED.has((e as { code?: string }).code ?? "") && options.databaseUrl) {
      const user = decodeURIComponent(new URL(options.databaseUrl).username) || "(the driver's default user)";
      throw new ExitError(`PostgreSQL at ${serverName(options.databaseUrl)} refused the login of ${user} (${(e as Error).message}); nothing done`, 1);
    }
    throw e;
  }
  try {
    if (access === "write") await store.lockWriter();
    return await work(store);
  } catch (e) {
    if (isConnectionLost(e)) {
      throw new ExitError(
        `lost the connection to ${store.description} (${(e as Error).message}); the transaction open then was rolled back, so nothing of it was written`,
        1,
      );
    }
    throw e;
  } finally {
    await store.close().catch(() => {});
  }
}
