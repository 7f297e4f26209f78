// Number parsing from CSV bytes must give exactly the double that Number()/Python float() give.
import { describe, expect, it } from "vitest";
import { parseDecimal } from "../../../src/check/parse-number.js";

const parseText = (text: string): number => {
  const bytes = Buffer.from(`x${text}y`, "latin1"); // parse a slice, not a whole buffer
  return parseDecimal(bytes, 1, bytes.length - 1);
};

describe("parseDecimal", () => {
  it("reads the usual ways numbers are written", () => {
    const cases: [string, number][] = [
      ["0", 0],
      ["42", 42],
      ["-7", -7],
      ["+3.5", 3.5],
      ["52000.5", 52000.5],
      [".5", 0.5],
      ["5.", 5],
      ["1e3", 1000],
      ["1E-3", 0.001],
      ["-2.5e+2", -250],
      ["  12 ", 12],
      ["\t-0.25", -0.25],
      ["0.1", 0.1],
      ["00012.500", 12.5],
      ["123456789012345678901234567890", 1.2345678901234568e29],
      ["0.12345678901234567", 0.12345678901234566],
      ["1.7976931348623157e308", 1.7976931348623157e308],
      ["4.9e-324", 5e-324],
      ["1e-400", 0],
    ];
    for (const [text, expected] of cases) expect(parseText(text), text).toBe(expected);
    expect(Object.is(parseText("-0"), -0)).toBe(true);
    expect(Object.is(parseText("-0.0e5"), -0)).toBe(true);
  });

  it("returns NaN for anything that is not a number", () => {
    for (const text of [
      "",
      " ",
      "-",
      "+",
      ".",
      "e5",
      "1e",
      "1e+",
      "1.2.3",
      "1,5",
      "abc",
      "12a",
      "NaN",
      "nan",
      "in",
      "infinit",
      "infinityy",
      "0x1F",
      "1_000",
      "--1",
      "1 2",
      "١٢",
    ]) {
      expect(parseText(text), JSON.stringify(text)).toBeNaN();
    }
  });

  it("reads overflowing values and inf / infinity spellings as ±Infinity (not finite)", () => {
    const cases: [string, number][] = [
      ["1e400", Infinity],
      ["-1e400", -Infinity],
      ["9".repeat(400), Infinity],
      ["inf", Infinity],
      ["-inf", -Infinity],
      ["+INF", Infinity],
      ["Infinity", Infinity],
      [" -infinity\t", -Infinity],
    ];
    for (const [text, expected] of cases) expect(parseText(text), text).toBe(expected);
  });

  it("matches Number() bit for bit on many random values in many formats", () => {
    let seed = 987654321;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 20000; trial++) {
      const magnitude = 10 ** Math.floor(random() * 24 - 12);
      const value = (random() - 0.5) * magnitude;
      const digits = 1 + Math.floor(random() * 17);
      const texts = [
        String(value),
        value.toFixed(Math.min(digits, 20)),
        value.toExponential(Math.min(digits, 20)),
        value.toPrecision(Math.max(1, digits)),
      ];
      for (const text of texts) expect(parseText(text), text).toBe(Number(text));
    }
  });
});
