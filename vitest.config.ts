import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A migrated PGlite data folder, made once for the run and copied by the tests.
    globalSetup: ["test/helpers/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // PGlite and the build are CPU-bound; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
