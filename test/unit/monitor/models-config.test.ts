// The `models` config section: defaults a user relies on, and invalid entries reported with
// their YAML path and reason.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config/index.js";
import { parseDuration } from "../../../src/monitor/index.js";

function configError(text: string): string {
  try {
    parseConfig(text, { env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("models config section", () => {
  it("fills every default for a model given by name only", () => {
    const config = parseConfig("models:\n  - name: credit-risk\n", { env: {} });
    expect(config.models).toEqual([
      {
        name: "credit-risk",
        task: "binary",
        features: {},
        threshold: 0.5,
        interval: "1h",
        minRows: 100,
        labelDelay: "1h",
        lateLabelDays: 7,
        backfillWindows: 168,
        reference: { rollingDays: 7, maxRows: 1_000_000 },
        exactRowLimit: 100000,
        driftShareThreshold: 0.5,
        benjaminiHochberg: false,
        metricsFeatureCap: 100,
      },
    ]);
    expect(parseConfig("", { env: {} }).models).toEqual([]);
  });

  it("keeps per-feature kinds and test overrides", () => {
    const config = parseConfig(
      `models:
  - name: m
    task: regression
    interval: 15m
    features:
      region: {kind: categorical, test: psi, threshold: 0.25}
      income: {test: ks}
`,
      { env: {} },
    );
    expect(config.models[0]!.features).toEqual({
      region: { kind: "categorical", test: "psi", threshold: 0.25 },
      income: { test: "ks" },
    });
    expect(parseDuration(config.models[0]!.interval)).toBe(900_000);
  });

  it("names the field and the reason for invalid entries", () => {
    expect(configError("models:\n  - name: m\n    task: ranking\n")).toMatch(
      /models\[0\]\.task.*must be one of binary, multiclass, regression/,
    );
    expect(configError("models:\n  - name: m\n    interval: hourly\n")).toMatch(
      /models\[0\]\.interval.*duration such as/,
    );
    expect(configError("models:\n  - task: binary\n")).toMatch(/models\[0\]\.name.*is required/);
    expect(configError("models:\n  - name: m\n  - name: m\n")).toMatch(
      /models\[1\]\.name.*duplicate model "m"/,
    );
    expect(
      configError(
        "models:\n  - name: m\n    features:\n      region: {kind: categorical, test: ks}\n",
      ),
    ).toMatch(/models\[0\]\.features\.region\.test.*numeric features only/);
    expect(
      configError("models:\n  - name: m\n    features:\n      x: {test: wasserstein}\n"),
    ).toMatch(/models\[0\]\.features\.x\.threshold.*is required/);
    expect(configError("models:\n  - name: m\n    exactRowLimt: 5\n")).toMatch(
      /did you mean "exactRowLimit"/,
    );
  });
});
