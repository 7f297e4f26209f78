// `driftwatch stack up --with mlflow`'s server: started detached under <stack dir>/mlflow on
// DRIFTWATCH_MLFLOW_PORT, reused while healthy, refused on a port held by another program, and
// stopped (with its process group) by `stack down`.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  mlflowStackDown,
  mlflowStackUp,
  resolveStackDir,
} from "../../../src/stack/index.js";

describe("stack up --with mlflow", () => {
  const stackDir = mkdtempSync(join(tmpdir(), "driftwatch-mlflow-stack-"));

  afterAll(async () => {
    await mlflowStackDown(stackDir);
    rmSync(stackDir, { recursive: true, force: true });
  });

  it("starts, reuses and stops the server of its stack directory", async () => {
    const port = await findFreePort();
    const env = { DRIFTWATCH_MLFLOW_PORT: String(port) };
    const options = { stackDir, installDir: resolveStackDir(), env };
    const started = await mlflowStackUp(options);
    expect(started).toMatchObject({ action: "started", url: `http://127.0.0.1:${port}` });
    expect((await fetch(`${started.url}/health`)).status).toBe(200);
    const again = await mlflowStackUp(options);
    expect(again).toEqual({ ...started, action: "reused" });
    expect(await mlflowStackDown(stackDir)).toBe(true);
    await expect(fetch(`${started.url}/health`)).rejects.toThrow();
    expect(await mlflowStackDown(stackDir)).toBe(false);
  });

  it("refuses a port another program holds", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(
        mlflowStackUp({
          stackDir,
          installDir: resolveStackDir(),
          env: { DRIFTWATCH_MLFLOW_PORT: String(port) },
        }),
      ).rejects.toThrow(`port ${port} (MLflow) is held by another program`);
    } finally {
      holder.close();
    }
  });
});
