// The MLflow REST client driftwatch needs: a version behind an alias or stage, a version, its run,
// a run's artifact, and tags on a version. fetch with basic auth, a timeout per request, retries
// with backoff on 5xx, 429 and network errors; answers are checked field by field.
import { setTimeout as sleep } from "node:timers/promises";
import { MlflowError } from "./errors.js";

export interface MlflowClientOptions {
  /** e.g. http://127.0.0.1:5000 (a path prefix is kept). */
  readonly trackingUri: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs: number;
  /** Attempts per request (1 = no retry). */
  readonly attempts: number;
  /** Largest artifact read, in bytes. */
  readonly maxArtifactBytes?: number;
  /** Injectable for tests. */
  readonly fetch?: typeof fetch;
  /** Waits between attempts (tests pass one that does not wait). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface MlflowModelVersion {
  readonly name: string;
  readonly version: string;
  readonly runId?: string;
  readonly aliases: readonly string[];
  readonly stage?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface MlflowRun {
  readonly runId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

const DEFAULT_MAX_ARTIFACT_BYTES = 256 * 1024 * 1024;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5_000;
/** Error bodies quoted in messages are cut here. */
const QUOTED_BODY_CHARS = 300;

type Json = Record<string, unknown>;

export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: MlflowClientOptions) {
    this.base = options.trackingUri.replace(/\/+$/, "");
    this.authorization =
      options.username !== undefined
        ? `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`
        : undefined;
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
  }

  /** The version an alias points at, or undefined when the alias is not set. */
  async aliasVersion(name: string, alias: string): Promise<MlflowModelVersion | undefined> {
    const body = await this.getJson("registered-models/alias", { name, alias }, notFound);
    if (body === undefined) return undefined;
    return modelVersionOf(body.model_version, "registered-models/alias: model_version");
  }

  /** The latest version in a stage, or undefined when none is. */
  async stageVersion(name: string, stage: string): Promise<MlflowModelVersion | undefined> {
    const body = await this.getJson(
      "registered-models/get-latest-versions",
      { name, stages: stage },
      notFound,
    );
    if (body === undefined || body.model_versions === undefined) return undefined;
    if (!Array.isArray(body.model_versions)) {
      throw fieldError("registered-models/get-latest-versions: model_versions", "a list");
    }
    const versions = body.model_versions.map((item, index) =>
      modelVersionOf(item, `registered-models/get-latest-versions: model_versions[${index}]`),
    );
    // Newest (highest number) first, whatever order the server sent.
    return versions.sort((a, b) => Number(b.version) - Number(a.version))[0];
  }

  async modelVersion(name: string, version: string): Promise<MlflowModelVersion> {
    const body = (await this.getJson("model-versions/get", { name, version }))!;
    return modelVersionOf(body.model_version, "model-versions/get: model_version");
  }

  async run(runId: string): Promise<MlflowRun> {
    const body = (await this.getJson("runs/get", { run_id: runId }))!;
    const run = body.run;
    if (!isObject(run)) throw fieldError("runs/get: run", "an object");
    const data = isObject(run.data) ? run.data : {};
    return {
      runId,
      params: keyValues(data.params, "runs/get: run.data.params"),
      tags: keyValues(data.tags, "runs/get: run.data.tags"),
    };
  }

  /** An artifact of a run, through the tracking server (`/get-artifact`, any artifact store). */
  async artifact(runId: string, path: string): Promise<Uint8Array> {
    const limit = this.options.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
    const url = this.url("/get-artifact", { path, run_uuid: runId });
    const response = await this.request("GET", url, undefined, `artifact ${path} of run ${runId}`);
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declared > limit) {
      await response.body?.cancel();
      throw new MlflowError(
        `artifact ${path} of run ${runId} is larger than ${limit} bytes`,
        false,
      );
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > limit) {
      throw new MlflowError(
        `artifact ${path} of run ${runId} is larger than ${limit} bytes`,
        false,
      );
    }
    return bytes;
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    const url = this.url("/api/2.0/mlflow/model-versions/set-tag", {});
    const response = await this.request(
      "POST",
      url,
      JSON.stringify({ name, version, key, value }),
      `model-versions/set-tag ${key} on ${name} version ${version}`,
    );
    await response.body?.cancel();
  }

  private url(path: string, query: Readonly<Record<string, string>>): string {
    const search = new URLSearchParams(query).toString();
    return `${this.base}${path}${search === "" ? "" : `?${search}`}`;
  }

  /** GET a REST 2.0 endpoint's JSON; `absent` says which refusals mean "no such thing". */
  private async getJson(
    endpoint: string,
    query: Readonly<Record<string, string>>,
    absent?: (error: MlflowError) => boolean,
  ): Promise<Json | undefined> {
    const url = this.url(`/api/2.0/mlflow/${endpoint}`, query);
    let response: Response;
    try {
      response = await this.request("GET", url, undefined, endpoint);
    } catch (error) {
      if (absent !== undefined && error instanceof MlflowError && absent(error)) return undefined;
      throw error;
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MlflowError(`${endpoint}: the answer is not JSON: ${quote(text)}`, false);
    }
    if (!isObject(parsed)) throw fieldError(endpoint, "a JSON object");
    return parsed;
  }

  /** One request with retries; resolves with a 2xx response (its body unread). */
  private async request(
    method: "GET" | "POST",
    url: string,
    body: string | undefined,
    what: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    for (let attempt = 1; ; attempt++) {
      let failure: MlflowError;
      let retryAfterMs: number | undefined;
      try {
        const response = await this.fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        if (response.ok) return response;
        failure = await answerError(response, what);
        retryAfterMs = retryAfter(response.headers.get("retry-after"));
      } catch (error) {
        if (error instanceof MlflowError) throw error;
        const cause = error as Error;
        const timedOut = cause.name === "TimeoutError" || cause.name === "AbortError";
        failure = new MlflowError(
          timedOut
            ? `${what}: MLflow did not answer within ${this.options.timeoutMs} ms`
            : `${what}: cannot reach MLflow at ${this.base} (${networkCause(cause)})`,
          true,
        );
      }
      if (!failure.retryable || attempt >= this.options.attempts) throw failure;
      const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      await this.sleep(Math.min(BACKOFF_MAX_MS, Math.max(backoff, retryAfterMs ?? 0)));
    }
  }
}

/** An unsuccessful answer as an error (its body read, so the connection is reusable). */
async function answerError(response: Response, what: string): Promise<MlflowError> {
  const text = await response.text().catch(() => "");
  let errorCode: string | undefined;
  let message = quote(text);
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.error_code === "string") errorCode = parsed.error_code;
    if (typeof parsed.message === "string") message = quote(parsed.message);
  } catch {
    // not JSON: quote the text as it is
  }
  const status = response.status;
  const retryable = status >= 500 || status === 429 || status === 408;
  const hint =
    status === 401 || status === 403
      ? " (check integrations.mlflow.username/password or MLFLOW_TRACKING_USERNAME/PASSWORD)"
      : "";
  return new MlflowError(
    `${what}: MLflow answered ${status}${errorCode !== undefined ? ` ${errorCode}` : ""}: ${message}${hint}`,
    retryable,
    status,
    errorCode,
  );
}

/** "Not found" answers: a 404, RESOURCE_DOES_NOT_EXIST, or an alias MLflow says it lacks. */
function notFound(error: MlflowError): boolean {
  if (error.status === 404 || error.errorCode === "RESOURCE_DOES_NOT_EXIST") return true;
  return error.errorCode === "INVALID_PARAMETER_VALUE" && /not found/i.test(error.message);
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function networkCause(error: Error): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause !== undefined && typeof cause.code === "string") return cause.code;
  return error.message;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTED_BODY_CHARS ? `${flat.slice(0, QUOTED_BODY_CHARS)}…` : flat;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldError(field: string, expected: string): MlflowError {
  return new MlflowError(`MLflow's answer is not as expected: ${field} must be ${expected}`, false);
}

function modelVersionOf(value: unknown, field: string): MlflowModelVersion {
  if (!isObject(value)) throw fieldError(field, "an object");
  const { name, version, run_id: runId, aliases, current_stage: stage } = value;
  if (typeof name !== "string") throw fieldError(`${field}.name`, "a string");
  if (typeof version !== "string" && typeof version !== "number") {
    throw fieldError(`${field}.version`, "a string");
  }
  return {
    name,
    version: String(version),
    ...(typeof runId === "string" && runId !== "" ? { runId } : {}),
    aliases: Array.isArray(aliases)
      ? aliases.filter((a): a is string => typeof a === "string")
      : [],
    ...(typeof stage === "string" ? { stage } : {}),
    tags: keyValues(value.tags, `${field}.tags`),
  };
}

/** MLflow's `[{key, value}]` lists as a record (absent: empty). */
function keyValues(value: unknown, field: string): Record<string, string> {
  const record: Record<string, string> = {};
  if (value === undefined) return record;
  if (!Array.isArray(value)) throw fieldError(field, "a list of {key, value}");
  value.forEach((item, index) => {
    if (!isObject(item) || typeof item.key !== "string") {
      throw fieldError(`${field}[${index}].key`, "a string");
    }
    record[item.key] = typeof item.value === "string" ? item.value : String(item.value ?? "");
  });
  return record;
}
