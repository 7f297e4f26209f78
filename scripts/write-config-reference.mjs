// Regenerates docs/config-reference.md from the config schema (run through `npm run docs:config`,
// which builds first). test/unit/config/reference-doc.test.ts fails when the file is stale.
import { writeFileSync } from "node:fs";
import { URL } from "node:url";
import { configReferenceMarkdown } from "../dist/src/config/reference-doc.js";

writeFileSync(new URL("../docs/config-reference.md", import.meta.url), configReferenceMarkdown());
