// Structured JSON logs on stderr (stdout is kept for command output such as `check --json`).
import { pino, type Logger } from "pino";

export type { Logger };

const REDACT = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
];

export function createLogger(
  name: string,
  level = process.env.DRIFTWATCH_LOG_LEVEL ?? "info",
): Logger {
  return pino(
    { name, level, redact: { paths: REDACT, censor: "[redacted]" } },
    pino.destination(2),
  );
}
