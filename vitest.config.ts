import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Temporary folders in memory (tmpfs) where there is one, unless TMPDIR says otherwise: the tests
// create and delete some 100,000 files (PGlite data folders, site trees), which on a virtual
// machine's disk is most of their time. Set here, before the global setup and the workers start.
if (!process.env.TMPDIR && existsSync("/dev/shm")) process.env.TMPDIR = "/dev/shm";
// The AWS SDK's 7-line notice about Node.js 22 (printed once per process on Node.js < 22) would
// show once per test file that makes an AWS client. The CLI silences it itself (src/cli.ts), and
// the tests that spawn it remove this variable, so that they test that.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/**
 * Vitest's order (the files that took longest last time first; without that record, as after
 * `npm ci`, the largest files first), except that the medium-s2 conformance files, three lines
 * each and the longest of all, always start first: started last, one of them would be the run's
 * tail on two workers.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (f: TestSpecification) => /\/conformance-medium-s2-[^/]*$/.test(f.moduleId);
    return [...sorted.filter(long), ...sorted.filter((f) => !long(f))];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    testTimeout: 180_000,
    // medium-s2's ingest and build on PGlite, one beforeAll, took 186 s on this machine shared
    // with others (load 16 on 2 cores); 115 s at load 9.
    hookTimeout: 300_000,
    // PGlite and the build are CPU-bound; two workers match the 2-core CI machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // Pure functions and the source's own files, no database, no environment changed: one
        // process runs file after file with the modules it loaded (a process and an import of the
        // code base per file took longer than most of these files' tests).
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**"],
          // A migrated PGlite data folder, made once for the run and copied by the tests.
          globalSetup: ["test/helpers/global-setup.ts"],
        },
      },
    ],
  },
});
