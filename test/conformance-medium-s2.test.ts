import { describeConformance } from "./helpers/conformance.js";

describeConformance("medium-s2");
