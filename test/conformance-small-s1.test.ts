import { describeConformance } from "./helpers/conformance.js";

describeConformance("small-s1");
