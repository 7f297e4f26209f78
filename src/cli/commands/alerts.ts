// `driftwatch alerts …`: check receiver wiring with a sample notification (`test`), show firing and
// pending alerts from ClickHouse (`list`), manage silences (`silence add|list|expire`) and request a
// retrain (`retrain`). The alert engine itself lives in alerts/ and runs inside `serve`.
import type { Command } from "commander";
import {
  AlertsInputError,
  AlertsNotFoundError,
  createAlertsApi,
  sendTestNotification,
  type AlertView,
  type AlertsApi,
} from "../../../alerts/index.js";
import { parseDuration } from "../../config/index.js";
import type { AuditEntry } from "../../audit/index.js";
import { cliActor, recordCliChange } from "../audit.js";
import { readCliConfig } from "../config.js";
import { createLogger } from "../../util/index.js";
import { withCliContext } from "../context.js";
import { CliError } from "../errors.js";

interface ConfigOption {
  readonly config?: string;
}

const CONFIG_FLAG = ["-c, --config <file>", "config file (default: $DRIFTWATCH_CONFIG)"] as const;

export function registerAlerts(program: Command): void {
  const alerts = program
    .command("alerts")
    .description("alert receivers, alerts, silences and retrains");

  alerts
    .command("test")
    .description("send a sample notification to every integration of a receiver")
    .requiredOption("-r, --receiver <name>", "receiver name from alerts.receivers")
    .option(...CONFIG_FLAG)
    .option("--json", "print the result as JSON")
    .action(async (options: ConfigOption & { receiver: string; json?: boolean }) => {
      const config = readCliConfig(options.config);
      const known = config.alerts.receivers.map((receiver) => receiver.name);
      if (!known.includes(options.receiver)) {
        throw new CliError(
          `unknown receiver "${options.receiver}" (configured: ${known.length > 0 ? known.join(", ") : "none"})`,
        );
      }
      const results = await sendTestNotification({
        config: config.alerts,
        receiver: options.receiver,
        logger: createLogger("alerts"),
      });
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ receiver: options.receiver, results })}\n`);
      } else {
        for (const result of results) {
          const attempts = `${result.attempts} attempt${result.attempts === 1 ? "" : "s"}`;
          process.stdout.write(
            result.ok
              ? `${options.receiver}/${result.integration}: delivered (${attempts})\n`
              : `${options.receiver}/${result.integration}: FAILED (${result.reason}, ${attempts}): ${result.error}\n`,
          );
        }
      }
      if (results.some((result) => !result.ok)) throw new CliError("some integrations failed", 1);
    });

  alerts
    .command("list")
    .description("show firing and pending alerts (from ClickHouse)")
    .option(...CONFIG_FLAG)
    .option("--state <states>", "comma-separated states", "firing,pending")
    .option("--json", "print JSON lines, one alert per line")
    .action(async (options: ConfigOption & { state: string; json?: boolean }) => {
      await withApi(options.config, async (api) => {
        const listed = await api.listAlerts(options.state.split(",").map((state) => state.trim()));
        if (options.json === true) {
          for (const alert of listed) process.stdout.write(`${JSON.stringify(alert)}\n`);
          return;
        }
        process.stdout.write(formatAlerts(listed));
      });
    });

  const silence = alerts
    .command("silence")
    .description("mute alerts matching label matchers for a while");
  silence
    .command("add")
    .description("create a silence")
    .requiredOption(
      "-m, --matcher <matcher...>",
      'label matchers, e.g. model=credit-risk feature=~"inc.*"',
    )
    .requiredOption("--author <name>", "who creates it (recorded in the audit log)")
    .requiredOption("--comment <text>", "why")
    .option(
      "--duration <duration>",
      'how long, e.g. "2h" (default alerts.silences.defaultDuration)',
    )
    .option(...CONFIG_FLAG)
    .action(
      async (
        options: ConfigOption & {
          matcher: string[];
          author: string;
          comment: string;
          duration?: string;
        },
      ) => {
        let endsAt: number | undefined;
        if (options.duration !== undefined) {
          try {
            endsAt = Date.now() + parseDuration(options.duration);
          } catch (error) {
            throw new CliError(`--duration: ${(error as Error).message}`);
          }
        }
        await withApi(options.config, async (api, audit) => {
          const created = await api.createSilence({
            matchers: options.matcher,
            createdBy: options.author,
            comment: options.comment,
            ...(endsAt !== undefined ? { endsAt } : {}),
          });
          await audit(
            {
              action: "silence.create",
              target: created.id,
              detail: {
                matchers: created.matchers,
                startsAt: created.startsAt,
                endsAt: created.endsAt,
                comment: created.comment,
              },
            },
            options.author,
          );
          process.stdout.write(`silence ${created.id} active until ${created.endsAt}\n`);
        });
      },
    );
  silence
    .command("list")
    .description("list active and pending silences")
    .option("--all", "include expired silences")
    .option("--json", "print JSON lines")
    .option(...CONFIG_FLAG)
    .action(async (options: ConfigOption & { all?: boolean; json?: boolean }) => {
      await withApi(options.config, async (api) => {
        const listed = await api.listSilences({ includeExpired: options.all === true });
        for (const item of listed) {
          process.stdout.write(
            options.json === true
              ? `${JSON.stringify(item)}\n`
              : `${item.id}  ${item.status.padEnd(7)}  until ${item.endsAt}  ${item.matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(" ")}  (${item.createdBy}: ${item.comment})\n`,
          );
        }
        if (listed.length === 0 && options.json !== true) process.stdout.write("no silences\n");
      });
    });
  silence
    .command("expire <id>")
    .description("end a silence now")
    .option("--author <name>", "who expires it (audit log; default cli:<OS user>)")
    .option(...CONFIG_FLAG)
    .action(async (id: string, options: ConfigOption & { author?: string }) => {
      await withApi(options.config, async (api, audit) => {
        const expired = await api.expireSilence(id);
        await audit(
          { action: "silence.expire", target: expired.id, detail: { endsAt: expired.endsAt } },
          options.author,
        );
        process.stdout.write(`silence ${expired.id} expired at ${expired.endsAt}\n`);
      });
    });

  alerts
    .command("retrain")
    .description(
      "call the model's retrain actions now (honours the retrain cooldown unless --force)",
    )
    .requiredOption("--model <name>", "model name")
    .option("--reason <text>", "why", "requested from the command line")
    .option("--action <names...>", "retrain actions (default: those of the model's rules)")
    .option("--force", "ignore the cooldown")
    .option("--author <name>", "who asks (audit log; default cli:<OS user>)")
    .option(...CONFIG_FLAG)
    .action(
      async (
        options: ConfigOption & {
          model: string;
          reason: string;
          action?: string[];
          force?: boolean;
          author?: string;
        },
      ) => {
        await withApi(options.config, async (api, audit) => {
          const outcome = await api.requestRetrain(options.model, {
            reason: options.reason,
            requestedBy: cliActor(options.author),
            ...(options.action !== undefined ? { actions: options.action } : {}),
            ...(options.force === true ? { force: true } : {}),
          });
          if (outcome.status !== "cooldown") {
            await audit(
              {
                action: "retrain.request",
                target: options.model,
                detail: {
                  requestId: outcome.requestId,
                  actions: outcome.actions,
                  reason: options.reason,
                  ...(options.force === true ? { force: true } : {}),
                },
              },
              options.author,
            );
          }
          if (outcome.status === "cooldown") {
            process.stdout.write(
              `${options.model} is in its retrain cooldown until ${new Date(outcome.cooldownUntil).toISOString()} (request ${outcome.activeRequestId}); use --force to retrain anyway\n`,
            );
            throw new CliError("retrain skipped", 1);
          }
          const deliveries = await outcome.delivered;
          for (const delivery of deliveries) {
            process.stdout.write(
              delivery.ok
                ? `${delivery.action}: triggered (request ${outcome.requestId})\n`
                : `${delivery.action}: FAILED (${delivery.reason}): ${delivery.error}\n`,
            );
          }
          if (deliveries.some((delivery) => !delivery.ok))
            throw new CliError("some retrain actions failed", 1);
        });
      },
    );
}

/** Records one change in the audit log (after it succeeded), as `author` or cli:<OS user>. */
type AuditChange = (change: Omit<AuditEntry, "actor">, author?: string) => Promise<void>;

async function withApi(
  path: string | undefined,
  run: (api: AlertsApi, audit: AuditChange) => Promise<void>,
): Promise<void> {
  await withCliContext(
    path,
    "alerts",
    async ({ config, engine }) => {
      const api = createAlertsApi({
        config: config.alerts,
        store: { engine, database: config.clickhouse.database },
        logger: createLogger("alerts"),
      });
      const audit: AuditChange = (change, author) =>
        recordCliChange(engine, config.clickhouse.database, change, author);
      try {
        await run(api, audit);
      } finally {
        await api.close();
      }
    },
    [AlertsInputError, AlertsNotFoundError],
  );
}

function formatAlerts(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return "no alerts\n";
  const rows = alerts.map((alert) => [
    alert.state,
    alert.severity,
    alert.rule,
    alert.model,
    alert.feature ?? "-",
    alert.value === null ? "n/a" : String(Number(alert.value.toPrecision(4))),
    alert.threshold === null ? "-" : String(Number(alert.threshold.toPrecision(4))),
    alert.activeAt ?? "-",
  ]);
  const header = ["STATE", "SEVERITY", "RULE", "MODEL", "FEATURE", "VALUE", "THRESHOLD", "SINCE"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
