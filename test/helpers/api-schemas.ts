// The API's JSON Schemas (assets/api/v1/, draft 2020-12) in one strict validator.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

export const SCHEMAS = new URL("../../assets/api/v1/", import.meta.url).pathname;

/** Every schema of SCHEMAS, each under its file name. */
export function apiValidator(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  for (const name of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, name), "utf8")), name);
  return ajv;
}
