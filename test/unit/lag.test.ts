// How far a build's data is behind yesterday (UTC), as its summary line says it (issue 14).
import { describe, expect, it } from "vitest";
import { describeLag } from "../../src/commands/build.js";
import type { IsoDate } from "../../src/domain/types.js";

describe("describeLag", () => {
  it.each([
    ["2025-11-15", "2025-11-16T01:30:00Z", "data through 2025-11-15, up to date"],
    ["2025-11-15", "2025-11-16T23:59:59Z", "data through 2025-11-15, up to date"],
    ["2025-11-15", "2025-11-17T00:00:00Z", "data through 2025-11-15, 1 day behind"],
    ["2025-11-15", "2025-11-19T01:30:00Z", "data through 2025-11-15, 3 days behind"],
    // Across a month, a year and a leap day.
    ["2025-12-30", "2026-01-02T00:10:00Z", "data through 2025-12-30, 2 days behind"],
    ["2024-02-27", "2024-03-02T12:00:00Z", "data through 2024-02-27, 3 days behind"],
    // A rows file may hold today's first hours: not "behind".
    ["2025-11-16", "2025-11-16T08:00:00Z", "data through 2025-11-16, up to date"],
  ])("ValidThru %s at %s: %s", (validThru, now, line) => {
    expect(describeLag(validThru as IsoDate, new Date(now))).toBe(line);
  });
});
