// Bearer-token authentication and role checks for every route. A route states the role it needs
// in its `config.access` ("public" for health, metrics and the OpenAPI document). Without
// configured tokens (local mode, auth.enabled unset) requests without a token may read; changes
// always need a token of a high enough role. Two hooks: who is asking, then may they; the rate
// limit (rate-limit.ts) runs between them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authRequired, type AuthConfig } from "../../config/index.js";
import { API_ERRORS, type ApiErrorCode } from "../error-codes.js";
import { roleAllows, type ApiRole } from "./roles.js";
import { createTokenVerifier } from "./token-verifier.js";

export type RouteAccess = ApiRole | "public";

/** Who made a request: a token holder, or `anonymous` (local mode reads, public routes). */
export interface RequestActor {
  readonly name: string;
  /** Undefined for anonymous requests on public routes. */
  readonly role: ApiRole | undefined;
  readonly authenticated: boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The role a route needs; routes without one are public. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: RequestActor;
  }
}

export const ANONYMOUS = "anonymous";
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function refuse(reply: FastifyReply, code: ApiErrorCode, message: string): FastifyReply {
  if (code === "DW_ERR_UNAUTHENTICATED") {
    void reply.header("WWW-Authenticate", 'Bearer realm="driftwatch"');
  }
  return reply.code(API_ERRORS[code].status).send({ error: { code, message } });
}

/** Why a presented Authorization header was not accepted (requests on public routes ignore it). */
const credentialProblems = new WeakMap<FastifyRequest, string>();

/**
 * Who is asking (first onRequest hook): a valid bearer token's holder, else anonymous (with the
 * role local mode grants). Nothing is refused here, so the rate limit can count a request by its
 * token (or client IP) before `registerAuthorization` decides.
 */
export function registerAuthentication(app: FastifyInstance, auth: AuthConfig): void {
  const verifier = createTokenVerifier(auth.tokens);
  const anonymousRole: ApiRole | undefined = authRequired(auth) ? undefined : "read";
  app.decorateRequest("actor", {
    getter(): RequestActor {
      return { name: ANONYMOUS, role: undefined, authenticated: false };
    },
  });

  app.addHook("onRequest", async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    let actor: RequestActor = { name: ANONYMOUS, role: anonymousRole, authenticated: false };
    if (header !== undefined) {
      const match = BEARER.exec(header);
      const holder = match === null ? undefined : verifier.verify(match[1]!);
      if (holder === undefined) {
        credentialProblems.set(
          request,
          match === null
            ? "the Authorization header must be `Bearer <token>`"
            : "the bearer token is not valid",
        );
        // A bad header grants nothing, not even local mode's anonymous reads.
        actor = { name: ANONYMOUS, role: undefined, authenticated: false };
      } else {
        actor = { name: holder.name, role: holder.role, authenticated: true };
      }
    }
    Object.defineProperty(request, "actor", { value: actor, enumerable: true });
  });
}

/** The role check (an onRequest hook after authentication): 401 or 403 in the error shape. */
export function registerAuthorization(app: FastifyInstance): void {
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const access = routeAccess(request);
    if (access === "public") return;
    const problem = credentialProblems.get(request);
    if (problem !== undefined) return refuse(reply, "DW_ERR_UNAUTHENTICATED", problem);
    const { actor } = request;
    if (actor.role === undefined) {
      return refuse(reply, "DW_ERR_UNAUTHENTICATED", "a bearer token is required");
    }
    if (!roleAllows(actor.role, access)) {
      if (!actor.authenticated) {
        return refuse(
          reply,
          "DW_ERR_UNAUTHENTICATED",
          `a bearer token with role ${access} is required for this route`,
        );
      }
      return refuse(
        reply,
        "DW_ERR_FORBIDDEN",
        `token ${actor.name} has role ${actor.role}; this route needs ${access}`,
      );
    }
  });
}

/** The role a request's route needs; unmatched requests (404, 405) need none. */
export function routeAccess(request: FastifyRequest): RouteAccess {
  return request.routeOptions.config.access ?? "public";
}
