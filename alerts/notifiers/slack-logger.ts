// Adapter giving @slack/web-api's WebClient our structured logger instead of its console logger.
// WebClient already redacts tokens in what it logs; its debug output is dropped below "warn".
import { LogLevel, type Logger as SlackLogger } from "@slack/web-api";
import type { Logger } from "../../src/util/index.js";
import type { Redactor } from "./redact.js";

export function slackLogger(logger: Logger | undefined, redact: Redactor): SlackLogger {
  let level: LogLevel = LogLevel.WARN;
  const text = (parts: unknown[]) =>
    redact(parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" "));
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => logger?.warn({ component: "slack-web-api" }, text(parts)),
    error: (...parts: unknown[]) => logger?.error({ component: "slack-web-api" }, text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
