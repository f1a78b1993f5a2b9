import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // PGlite and the build are CPU-bound; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
