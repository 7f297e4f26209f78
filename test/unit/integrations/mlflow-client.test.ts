// The MLflow REST client against a small local HTTP server: basic auth, retries with backoff on
// 5xx and network trouble (not on 4xx), timeouts, "not set" answers, answers missing a field
// (named in the error), and the logged-time grammar of training windows.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MlflowClient, MlflowError, parseLoggedTime } from "../../../src/integrations/index.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

const VERSION = {
  name: "M",
  version: "3",
  run_id: "r1",
  aliases: ["champion"],
  current_stage: "None",
};

function client(url: string, extra: Partial<ConstructorParameters<typeof MlflowClient>[0]> = {}) {
  const waits: number[] = [];
  const instance = new MlflowClient({
    trackingUri: url,
    timeoutMs: 1_000,
    attempts: 3,
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  return { instance, waits };
}

describe("MlflowClient", () => {
  it("sends basic auth and reads the alias's version", async () => {
    let authorization: string | undefined;
    let path = "";
    const url = await serve((request, response) => {
      authorization = request.headers.authorization;
      path = request.url ?? "";
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ model_version: VERSION }));
    });
    const { instance } = client(url, { username: "svc", password: "p:ss wörd" });
    const version = await instance.aliasVersion("M", "champion");
    expect(version).toMatchObject({ name: "M", version: "3", runId: "r1", aliases: ["champion"] });
    expect(authorization).toBe(`Basic ${Buffer.from("svc:p:ss wörd").toString("base64")}`);
    expect(path).toBe("/api/2.0/mlflow/registered-models/alias?name=M&alias=champion");
  });

  it("retries 5xx with growing backoff, then succeeds", async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls++;
      if (calls < 3) {
        response.statusCode = 503;
        response.end("busy");
        return;
      }
      response.end(JSON.stringify({ model_version: VERSION }));
    });
    const { instance, waits } = client(url);
    expect((await instance.modelVersion("M", "3")).version).toBe("3");
    expect(calls).toBe(3);
    expect(waits).toEqual([250, 500]);
  });

  it("gives up after the configured attempts with a retryable error naming the request", async () => {
    const url = await serve((_request, response) => {
      response.statusCode = 500;
      response.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "db locked" }));
    });
    const { instance } = client(url);
    const error = (await instance.run("r1").catch((caught: unknown) => caught)) as MlflowError;
    expect(error).toBeInstanceOf(MlflowError);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe("runs/get: MLflow answered 500 INTERNAL_ERROR: db locked");
  });

  it("does not retry a 401, and says where credentials come from", async () => {
    let calls = 0;
    const url = await serve((_request, response) => {
      calls++;
      response.statusCode = 401;
      response.end("You are not authenticated.");
    });
    const { instance } = client(url);
    const error = (await instance.run("r1").catch((caught: unknown) => caught)) as MlflowError;
    expect(calls).toBe(1);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/401.*MLFLOW_TRACKING_USERNAME/);
  });

  it("reads an unset alias as undefined", async () => {
    const url = await serve((_request, response) => {
      response.statusCode = 400;
      response.end(
        JSON.stringify({
          error_code: "INVALID_PARAMETER_VALUE",
          message: "Registered model alias champion not found.",
        }),
      );
    });
    expect(await client(url).instance.aliasVersion("M", "champion")).toBeUndefined();
  });

  it("times out a silent server and retries it", async () => {
    let calls = 0;
    const url = await serve(() => {
      calls++; // never answers
    });
    const { instance } = client(url, { timeoutMs: 100, attempts: 2 });
    const error = (await instance.run("r1").catch((caught: unknown) => caught)) as MlflowError;
    expect(error.message).toBe("runs/get: MLflow did not answer within 100 ms");
    expect(error.retryable).toBe(true);
    expect(calls).toBe(2);
  });

  it("retries network errors (nothing listening)", async () => {
    const url = await serve(() => undefined);
    server!.close();
    server = undefined;
    const { instance, waits } = client(url);
    const error = (await instance.run("r1").catch((caught: unknown) => caught)) as MlflowError;
    expect(error.message).toMatch(
      /cannot reach MLflow at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(waits).toHaveLength(2);
  });

  it("names the field an answer lacks", async () => {
    const url = await serve((_request, response) => {
      response.end(JSON.stringify({ model_version: { name: "M" } }));
    });
    await expect(client(url).instance.modelVersion("M", "3")).rejects.toThrow(
      "model-versions/get: model_version.version must be a string",
    );
  });

  it("refuses an artifact larger than the limit", async () => {
    const url = await serve((_request, response) => {
      response.end("x".repeat(2_000));
    });
    const { instance } = client(url, { maxArtifactBytes: 1_000 });
    await expect(instance.artifact("r1", "a.csv")).rejects.toThrow(/larger than 1000 bytes/);
  });
});

describe("parseLoggedTime", () => {
  it.each([
    ["2026-10-01", Date.UTC(2026, 9, 1)],
    ["2026-10-01T08:30:00Z", Date.UTC(2026, 9, 1, 8, 30)],
    ["2026-10-01T08:30:00.250+02:00", Date.UTC(2026, 9, 1, 6, 30, 0, 250)],
    ["2026-10-01 08:30", Date.UTC(2026, 9, 1, 8, 30)],
    ["1790000000000", 1_790_000_000_000],
  ])("%s", (text, expected) => {
    expect(parseLoggedTime(text)).toBe(expected);
  });

  it.each(["", "yesterday", "2026-02-30", "2026-10-01T25:00", "1e12", "2026-10-01T08:30:00+2"])(
    "refuses %j",
    (text) => {
      expect(parseLoggedTime(text)).toBeUndefined();
    },
  );
});
