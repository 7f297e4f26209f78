// The retry policy from the `alerts.delivery` config section.
import { parseDuration, type DeliveryConfig } from "../../src/config/index.js";
import type { RetryPolicy } from "./retry.js";

export function retryPolicy(delivery: DeliveryConfig): RetryPolicy {
  return {
    maxAttempts: delivery.maxAttempts,
    initialBackoffMs: parseDuration(delivery.initialBackoff),
    maxBackoffMs: parseDuration(delivery.maxBackoff),
    maxRetryAfterMs: parseDuration(delivery.maxRetryAfter),
  };
}
