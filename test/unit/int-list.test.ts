import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/sources/synthetic-downloads.js";
import { IntListReader } from "../../src/summaries/int-list.js";

describe("IntListReader", () => {
  it("reads what split and Number read, list after list, short and long (its buffer grows)", () => {
    const rand = seededRandom(7);
    const reader = new IntListReader();
    for (let t = 0; t < 300; t++) {
      const length = 1 + Math.floor(rand() ** 3 * 20_000);
      const values = Array.from({ length }, () => Math.floor((rand() - 0.2) * 10 ** (1 + Math.floor(rand() * 9))));
      const text = values.join(",");
      expect(Array.from(reader.read(text)), `list ${t}`).toEqual(text.split(",").map(Number));
    }
  });

  it("reads one number, zero and a negative", () => {
    const reader = new IntListReader();
    expect(Array.from(reader.read("0"))).toEqual([0]);
    expect(Array.from(reader.read("2147483647,-5,12"))).toEqual([2147483647, -5, 12]);
    expect(Array.from(reader.read("7"))).toEqual([7]);
  });
});
