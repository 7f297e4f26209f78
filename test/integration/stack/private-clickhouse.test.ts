// startPrivateClickHouse: a real ClickHouse of one's own that can be stopped, killed and restarted
// with its data kept, on ports that do not touch the shared server.
import { afterAll, describe, expect, it } from "vitest";
import { startPrivateClickHouse, type PrivateClickHouse } from "../../../src/stack/index.js";

async function query(url: string, sqlText: string): Promise<string> {
  const response = await fetch(url, { method: "POST", body: sqlText });
  const body = await response.text();
  if (!response.ok) throw new Error(`ClickHouse ${response.status}: ${body}`);
  return body.trim();
}

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

describe("startPrivateClickHouse", () => {
  let clickhouse: PrivateClickHouse | undefined;
  afterAll(async () => {
    await clickhouse?.destroy();
  });

  it("runs a server that keeps its data across stop, kill and start", async () => {
    clickhouse = await startPrivateClickHouse();
    expect(clickhouse.httpPort).not.toBe(8123);
    expect(clickhouse.url).toBe(`http://localhost:${clickhouse.httpPort}`);
    expect(await query(clickhouse.url, "SELECT version()")).toMatch(/^\d+\.\d+/);
    await query(
      clickhouse.url,
      "CREATE TABLE default.kept (n UInt32) ENGINE = MergeTree ORDER BY n",
    );
    await query(clickhouse.url, "INSERT INTO default.kept VALUES (1), (2), (3)");

    await clickhouse.stop();
    expect(clickhouse.pid()).toBeUndefined();
    expect(await reachable(clickhouse.url)).toBe(false);

    await clickhouse.start();
    expect(await query(clickhouse.url, "SELECT sum(n) FROM default.kept")).toBe("6");

    await clickhouse.kill();
    expect(await reachable(clickhouse.url)).toBe(false);
    await clickhouse.start();
    expect(await query(clickhouse.url, "SELECT count() FROM default.kept")).toBe("3");
  });
});
