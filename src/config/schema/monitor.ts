// Config section `monitor`: the scheduler of the instance elected to evaluate windows.
import { Type, type Static } from "@sinclair/typebox";
import { SECTION, type ConfigCheckIssue, Duration, parseDuration } from "./kit.js";

export const MonitorSchema = Type.Object(
  {
    tickInterval: Duration(
      "30s",
      "how often the elected evaluator looks for due windows (and how soon after a window ends it is evaluated)",
    ),
    electionSessionTimeout: Duration(
      "10s",
      "how long a dead evaluator keeps the role before another instance takes over: the Kafka session timeout of the control-topic group (the broker accepts 6s to 300s by default)",
    ),
  },
  SECTION,
);

export type MonitorConfig = Static<typeof MonitorSchema>;

/** Kafka brokers accept session timeouts from 6 s to 300 s (group.min/max.session.timeout.ms). */
const SESSION_LIMITS_MS = { min: 6_000, max: 300_000 };

export function checkMonitorConfig(monitor: MonitorConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  const session = parseDuration(monitor.electionSessionTimeout);
  if (session < SESSION_LIMITS_MS.min || session > SESSION_LIMITS_MS.max) {
    issues.push({
      path: ["monitor", "electionSessionTimeout"],
      message: "must be between 6s and 300s (the Kafka broker's default session timeout limits)",
    });
  }
  if (parseDuration(monitor.tickInterval) < 1_000) {
    issues.push({ path: ["monitor", "tickInterval"], message: "must be at least 1s" });
  }
  return issues;
}
