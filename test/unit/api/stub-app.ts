// An API app over stand-ins (no ClickHouse, Kafka or monitor behind it), for what does not need
// them: the OpenAPI document, framework answers, auth and rate limits decided before a handler.
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import {
  buildApp,
  type ApiDependencies,
  type AsyncReadinessCheck,
} from "../../../src/api/index.js";
import { parseConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";
import { TOKEN_ENV } from "../../support/tokens.js";

const unused = new Proxy(
  {},
  {
    get(_target, name) {
      return () => Promise.reject(new Error(`stub: ${String(name)} is not available`));
    },
  },
);

/** Dependencies over stand-ins, from YAML config; `overrides` replaces any of them. */
export function stubDependencies(
  yaml = "",
  overrides: Partial<ApiDependencies> = {},
): ApiDependencies {
  return {
    config: parseConfig(yaml, { env: TOKEN_ENV }),
    engine: { ping: async () => {}, query: async () => [], close: async () => {} } as never,
    producer: unused as never,
    monitor: unused as never,
    alertsApi: unused as never,
    registry: createMetricsRegistry(),
    logger: pino({ level: "silent" }),
    ...overrides,
  };
}

/** Build the app from YAML config over stand-ins; the caller closes it. */
export async function stubApp(
  yaml = "",
  readiness?: Record<string, AsyncReadinessCheck>,
): Promise<FastifyInstance> {
  return buildApp(stubDependencies(yaml, readiness !== undefined ? { readiness } : {}));
}
