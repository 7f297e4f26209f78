// POST /api/v1/ingest/cloudevents/{credential} and POST /api/v1/ingest/cloudevents: KServe's
// inference logger sends each inference as two CloudEvents (binary content mode, ce-* headers),
// request and response sharing ce-id. Each half is produced, byte for byte with its ce-* headers,
// to the join topic keyed by ce-id before the answer, so a crash after 202 loses nothing; the
// ingest role joins the halves (src/ingest/inference). The logger cannot set an Authorization
// header: it carries the ingest-only credential (integrations.kserve.credential) in the path,
// compared in constant time; the path form never appears in logs (`redactIngestCredential`).
// Other senders may use the plain path with a write token. Registered when integrations.kserve
// is configured.
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { KserveConfig } from "../../config/index.js";
import { cloudEventHeaders, parseCloudEvent } from "../../ingest/index.js";
import type { ApiContext } from "../context.js";
import { ApiError } from "../error-codes.js";
import {
  CloudEventAccepted,
  CloudEventBody,
  CloudEventCredentialParams,
  CloudEventHeaders,
  type CloudEventCredentialParamsType,
} from "../schemas/cloudevents.js";

export const CLOUDEVENTS_PATH = "/api/v1/ingest/cloudevents";
const ERROR = { $ref: "ErrorBody" };

/** The URL with the ingest credential replaced (for request logs). */
export function redactIngestCredential(url: string): string {
  return url.startsWith(`${CLOUDEVENTS_PATH}/`)
    ? url.replace(/^(\/api\/v1\/ingest\/cloudevents\/)[^?#]*/, "$1[redacted]")
    : url;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function credentialCheck(kserve: NonNullable<KserveConfig>) {
  const expected = digest(kserve.credential);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { credential } = request.params as CloudEventCredentialParamsType;
    // Digests of equal length: the comparison time tells nothing about the credential.
    if (timingSafeEqual(digest(credential ?? ""), expected)) return;
    return reply.code(401).send({
      error: {
        code: "DW_ERR_UNAUTHENTICATED",
        message: "the ingest credential in the path is not valid",
      },
    });
  };
}

const DESCRIPTION =
  "One half (request or response) of an inference, as KServe's inference logger sends it: " +
  "CloudEvents binary mode, the payload as body. Produced to integrations.kserve.topic keyed by " +
  "ce-id before the answer; the ingest role joins it with its other half into events. " +
  "Invalid payloads and halves without a partner are dead-lettered, not refused.";

export function registerCloudEventRoutes(app: FastifyInstance, context: ApiContext): void {
  const kserve = context.config.integrations.kserve;
  if (kserve === undefined) return;
  const topic = kserve.topic;

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const headers = cloudEventHeaders(request.headers);
    const attributes = parseCloudEvent((name) => headers[name]);
    if (typeof attributes === "string") {
      const field = attributes.slice(0, attributes.indexOf(":"));
      throw new ApiError("DW_ERR_VALIDATION", attributes, field);
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    try {
      await context.producer.send(topic, [{ key: attributes.id, value: body, headers }]);
    } catch (error) {
      request.log.warn({ err: error, topic }, "inference half not acknowledged by Kafka");
      throw new ApiError(
        "DW_ERR_UNAVAILABLE",
        "Kafka did not acknowledge the event; it is not accepted, retry later",
      );
    }
    return reply
      .code(202)
      .send({ accepted: true, id: attributes.id, half: attributes.side, topic });
  };

  void app.register(async (scope) => {
    // Bodies are taken as bytes (a truncated body is dead-lettered with its bytes, not refused).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) =>
      done(null, body),
    );
    const schema = {
      tags: ["ingest"],
      description: DESCRIPTION,
      headers: CloudEventHeaders,
      body: CloudEventBody,
    };
    scope.post(
      `${CLOUDEVENTS_PATH}/:credential`,
      {
        config: { access: "public", optionalBody: true },
        onRequest: credentialCheck(kserve),
        schema: {
          ...schema,
          summary: "Ingest a KServe inference logger CloudEvent (credential in the path)",
          params: CloudEventCredentialParams,
          response: { 202: CloudEventAccepted, 401: ERROR, 503: ERROR },
        },
      },
      handler,
    );
    scope.post(
      CLOUDEVENTS_PATH,
      {
        config: { access: "write", optionalBody: true },
        schema: {
          ...schema,
          summary: "Ingest a KServe inference logger CloudEvent (bearer token)",
          response: { 202: CloudEventAccepted },
        },
      },
      handler,
    );
  });
}
