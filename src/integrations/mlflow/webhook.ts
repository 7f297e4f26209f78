// MLflow (3.3+) webhook deliveries: the HMAC signature check (X-MLflow-Signature: "v1,<base64
// HMAC-SHA256 of `<delivery id>.<timestamp>.<body>`>", with X-MLflow-Delivery-Id and
// X-MLflow-Timestamp), the payload parser, and the receiver that hands alias moves to the follower.
import { createHmac, timingSafeEqual } from "node:crypto";
import { MlflowWebhookError } from "./errors.js";
import type { FollowResult, MlflowFollower } from "./follower.js";

export const SIGNATURE_HEADER = "x-mlflow-signature";
export const DELIVERY_ID_HEADER = "x-mlflow-delivery-id";
export const TIMESTAMP_HEADER = "x-mlflow-timestamp";

/** What a delivery says happened, as far as driftwatch cares. */
export type MlflowWebhookEvent =
  | {
      readonly kind: "alias-created";
      readonly name: string;
      readonly alias: string;
      readonly version: string;
    }
  | { readonly kind: "version-created"; readonly name: string; readonly version: string }
  | { readonly kind: "other"; readonly entity: string; readonly action: string };

const NAME_MAX = 1024;

export interface SignatureInput {
  readonly secret: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly nowMs: number;
  readonly maxAgeMs: number;
}

/** Throws MlflowWebhookError("signature") unless the delivery is signed with `secret` and fresh. */
export function verifyMlflowSignature(input: SignatureInput): void {
  const header = (name: string): string => {
    const value = input.headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text === "") {
      throw new MlflowWebhookError("signature", `the ${name} header is missing`);
    }
    return text;
  };
  const signature = header(SIGNATURE_HEADER);
  const deliveryId = header(DELIVERY_ID_HEADER);
  const timestamp = header(TIMESTAMP_HEADER);
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new MlflowWebhookError("signature", `${TIMESTAMP_HEADER} must be Unix seconds`);
  }
  const ageMs = input.nowMs - Number(timestamp) * 1000;
  if (Math.abs(ageMs) > input.maxAgeMs) {
    throw new MlflowWebhookError(
      "signature",
      `the delivery's timestamp is ${Math.round(ageMs / 1000)} s away from now (more than integrations.mlflow.webhook.maxAge): refused as a possible replay`,
    );
  }
  const expected = createHmac("sha256", input.secret)
    .update(`${deliveryId}.${timestamp}.${input.body}`, "utf8")
    .digest();
  // The header may list several "v1,<sig>" values separated by spaces (secret rotation).
  const offered = signature
    .split(/\s+/)
    .filter((part) => part.startsWith("v1,"))
    .map((part) => Buffer.from(part.slice(3), "base64"));
  if (!offered.some((candidate) => sameBytes(candidate, expected))) {
    throw new MlflowWebhookError(
      "signature",
      "the signature does not match integrations.mlflow.webhook.secret",
    );
  }
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** MLflow's `{entity, action, timestamp, data}`; throws MlflowWebhookError("payload") naming the field. */
export function parseMlflowWebhook(body: string): MlflowWebhookEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MlflowWebhookError("payload", "the body is not JSON");
  }
  if (!isObject(parsed)) throw new MlflowWebhookError("payload", "must be a JSON object", "");
  const entity = text(parsed, "entity", "");
  const action = text(parsed, "action", "");
  const data = parsed.data;
  const relevant =
    (entity === "model_version_alias" && action === "created") ||
    (entity === "model_version" && action === "created");
  if (!relevant) return { kind: "other", entity, action };
  if (!isObject(data)) throw new MlflowWebhookError("payload", "must be an object", "data");
  const name = text(data, "name", "data.");
  const version = versionText(data.version);
  if (entity === "model_version") return { kind: "version-created", name, version };
  return { kind: "alias-created", name, alias: text(data, "alias", "data."), version };
}

function text(record: Record<string, unknown>, key: string, prefix: string): string {
  const value = record[key];
  if (typeof value !== "string" || value === "" || value.length > NAME_MAX) {
    throw new MlflowWebhookError(
      "payload",
      `must be a non-empty string of at most ${NAME_MAX} characters`,
      `${prefix}${key}`,
    );
  }
  return value;
}

function versionText(value: unknown): string {
  const version = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof version !== "string" || !/^[1-9][0-9]{0,17}$/.test(version)) {
    throw new MlflowWebhookError("payload", "must be a model version number", "data.version");
  }
  return version;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface WebhookDelivery {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received (the signature covers these bytes). */
  readonly body: string;
}

export interface WebhookAnswer {
  readonly event: string;
  readonly results: readonly FollowResult[];
}

/** Checks each delivery, then lets the follower register the version an alias moved to. */
export class MlflowWebhookReceiver {
  constructor(
    private readonly options: {
      readonly secret: string;
      readonly maxAgeMs: number;
      readonly follower: MlflowFollower;
      readonly now: () => number;
    },
  ) {}

  /** Throws MlflowWebhookError for refused deliveries; follow failures are in the results. */
  async receive(delivery: WebhookDelivery): Promise<WebhookAnswer> {
    verifyMlflowSignature({
      secret: this.options.secret,
      headers: delivery.headers,
      body: delivery.body,
      nowMs: this.options.now(),
      maxAgeMs: this.options.maxAgeMs,
    });
    const event = parseMlflowWebhook(delivery.body);
    switch (event.kind) {
      case "alias-created":
        return {
          event: "model_version_alias.created",
          results: await this.options.follower.aliasMoved(event.name, event.alias, event.version),
        };
      case "version-created":
        // A new version has no alias yet: the alias event that follows registers it.
        return { event: "model_version.created", results: [] };
      case "other":
        return { event: `${event.entity}.${event.action}`, results: [] };
    }
  }
}
