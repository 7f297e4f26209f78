// Config sections built through the real loader (parseConfig), as a test needs them.
import { stringify } from "yaml";
import { parseConfig } from "../../src/config/index.js";
import type { AlertsConfig } from "../../src/config/schema/alerts/schema.js";

/** The `alerts:` section `section` becomes once loaded (`${VAR}`s from `env`). */
export function alertsConfig(
  section: Record<string, unknown>,
  env: Record<string, string> = {},
): AlertsConfig {
  return parseConfig(stringify({ alerts: section }), { env }).alerts;
}
