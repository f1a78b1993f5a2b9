// Part of `npm run build`: the tarball of a fresh PGlite folder for the installed PGlite, which
// new data folders are loaded from (src/store/pglite-template.ts). Made once per PGlite version.
import { PGLITE_TEMPLATE_SETTINGS } from "../lib/store/database.js";
import { makePgliteTemplate } from "../lib/store/pglite-template.js";

await makePgliteTemplate(PGLITE_TEMPLATE_SETTINGS);
