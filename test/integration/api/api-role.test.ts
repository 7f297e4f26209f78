// `serve --role api` in-process: one listener on server.port serves the API, /metrics from the
// process registry, /healthz and /readyz (ClickHouse, Kafka, roles); stopping closes it.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { resolveRoles, startService } from "../../../src/service/index.js";
import { dropDatabase } from "../../../src/store/index.js";
import { pino } from "pino";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";
import { AUTH_YAML, bearer, TOKEN_ENV, TOKENS } from "../../support/tokens.js";

const database = uniqueDatabase("api_role");

afterAll(async () => {
  const engine = serverEngine();
  await dropDatabase(engine, database);
  await engine.close();
});

describe("the api role", () => {
  it("serves the API, metrics, health and readiness on one port and stops cleanly", async () => {
    const topic = `dwtest.api_role.${randomBytes(4).toString("hex")}.predictions`;
    const config = parseConfig(
      `server: { port: 0, host: 127.0.0.1 }
clickhouse: { database: ${database}, url: ${process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123"} }
kafka: { brokers: [${process.env.DRIFTWATCH_KAFKA_BROKERS ?? "localhost:9092"}], topics: { predictions: ${topic} } }
${AUTH_YAML}`,
      { env: TOKEN_ENV },
    );
    const roles = resolveRoles("api");
    if (typeof roles === "string") throw new Error(roles);
    const service = await startService({ config, roles, logger: pino({ level: "silent" }) });
    try {
      const base = `http://127.0.0.1:${service.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toEqual({
        status: "ready",
        checks: { clickhouse: "ok", kafka: "ok", roles: "ok" },
      });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain("driftwatch_process_cpu_seconds_total");
      const models = await fetch(`${base}/api/v1/models`, { headers: bearer(TOKENS.reader) });
      expect(models.status).toBe(200);
      expect(await models.json()).toHaveProperty("models");
      expect((await fetch(`${base}/api/v1/models`)).status).toBe(401);
    } finally {
      expect(await service.stop("test over")).toBe(0);
    }
  });
});
