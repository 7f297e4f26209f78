// Bearer-token authentication and role checks for every route. A route states the role it needs
// in its `config.access` ("public" for health, metrics and the OpenAPI document). Without
// configured tokens (local mode, auth.enabled unset) requests without a token may read; changes
// always need a token of a high enough role.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authRequired, type AuthConfig } from "../../config/schema/auth.js";
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

export function registerAuth(app: FastifyInstance, auth: AuthConfig): void {
  const verifier = createTokenVerifier(auth.tokens);
  const required = authRequired(auth);
  const anonymousRole: ApiRole | undefined = required ? undefined : "read";
  app.decorateRequest("actor", {
    getter(): RequestActor {
      return { name: ANONYMOUS, role: undefined, authenticated: false };
    },
  });

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? "public";
    const header = request.headers.authorization;
    let actor: RequestActor;
    if (header !== undefined) {
      const match = BEARER.exec(header);
      const holder = match === null ? undefined : verifier.verify(match[1]!);
      if (holder === undefined) {
        if (access === "public") return;
        return refuse(
          reply,
          "DW_ERR_UNAUTHENTICATED",
          match === null
            ? "the Authorization header must be `Bearer <token>`"
            : "the bearer token is not valid",
        );
      }
      actor = { name: holder.name, role: holder.role, authenticated: true };
    } else {
      actor = { name: ANONYMOUS, role: anonymousRole, authenticated: false };
    }
    Object.defineProperty(request, "actor", { value: actor, enumerable: true });
    if (access === "public") return;
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
