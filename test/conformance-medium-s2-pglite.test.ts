// medium-s2 is the one fixture that takes a while: a file per database, so that the two run side by side.
import { BACKENDS } from "./helpers/backends.js";
import { describeConformance } from "./helpers/conformance.js";

describeConformance(
  "medium-s2",
  BACKENDS.filter((b) => b.name === "PGlite"),
);
