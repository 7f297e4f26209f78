import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configReferenceMarkdown } from "../../../src/config/reference-doc.js";

describe("docs/config-reference.md", () => {
  const generated = configReferenceMarkdown();

  it("is what the schema generates (run `npm run docs:config` after changing the schema)", () => {
    const committed = readFileSync(
      new URL("../../../docs/config-reference.md", import.meta.url),
      "utf8",
    );
    expect(committed).toBe(generated);
  });

  it("lists every section and the keys users set most, with their defaults", () => {
    for (const section of [
      "kafka",
      "clickhouse",
      "ingest",
      "retention",
      "server",
      "alerts",
      "auth",
      "models",
    ]) {
      expect(generated).toContain(`## \`${section}\``);
    }
    expect(generated).toContain("| `ingest.batchMaxRows` | integer | `50000` |");
    expect(generated).toContain('| `clickhouse.url` | string | `"http://localhost:8123"` |');
    expect(generated).toMatch(/\| `kafka\.sasl\.password` \| string \| +\| secret/);
  });
});
