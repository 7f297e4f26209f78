// Looks a presented bearer token up among the configured ones in constant time: every configured
// token is compared (SHA-256 digests with crypto.timingSafeEqual), so neither the position of a
// match nor the length of a near-miss shows in the response time. Token values stay in here.
import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthToken } from "../../config/index.js";
import type { ApiRole } from "./roles.js";

export interface TokenHolder {
  readonly name: string;
  readonly role: ApiRole;
}

export interface TokenVerifier {
  /** The holder of `presented`, or undefined when no configured token equals it. */
  verify(presented: string): TokenHolder | undefined;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export function createTokenVerifier(tokens: readonly AuthToken[]): TokenVerifier {
  const entries = tokens.map((entry) => ({
    holder: { name: entry.name, role: entry.role } satisfies TokenHolder,
    digest: digest(entry.token),
  }));
  return {
    verify(presented) {
      const presentedDigest = digest(presented);
      let found: TokenHolder | undefined;
      for (const entry of entries) {
        // No early exit: the loop costs the same whether and where a token matches.
        if (timingSafeEqual(entry.digest, presentedDigest) && found === undefined) {
          found = entry.holder;
        }
      }
      return found;
    },
  };
}
