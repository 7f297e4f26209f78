// `driftwatch demo`: the whole loop on the local stack. Brings the stack up, migrates, starts the
// local sinks (Slack-compatible API, SMTP, signed retrain webhook), loads a simulated credit-risk
// model's history through Kafka, runs `serve --role all`, and waits — with a deadline each — for
// drift alerts, notifications, the retrain call, late labels and the accuracy decay, the retrained
// version's registration and the alerts' resolution. Exits non-zero naming the step that failed.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createKafkaClient, type Producer } from "../kafka/index.js";
import { stackUp, findFreePort, resolveStackDir } from "../stack/index.js";
import { applyMigrations, createClickHouseEngine, type SqlEngine } from "../store/index.js";
import { createLogger } from "../util/index.js";
import { DemoApi } from "./api-client.js";
import { newSecrets, packageRoot, writeDemoConfig } from "./demo-config.js";
import {
  deleteEarlierRuns,
  deliveredMessages,
  evaluatedWindows,
  storedCounts,
} from "./demo-data.js";
import { eventPayload, labelPayload, produce } from "./event-producer.js";
import { DemoStepError, Progress, waitFor } from "./progress.js";
import { RetrainReceiver } from "./retrain-receiver.js";
import { runCliCommand } from "./run-cli.js";
import { startService, type ServiceProcess } from "./service-process.js";
import {
  DAY_MS,
  DAY_PROFILES,
  DEMO_MODEL,
  dayOf,
  scoreOf,
  simulate,
  type SimulatedEvent,
} from "./simulator.js";
import { SlackApiServer, SmtpPeer } from "./peers/index.js";
import { collectSummary, printSummary } from "./summary.js";

const TIMEOUT = {
  stack: 180_000,
  ready: 60_000,
  ingest: 60_000,
  firstEvaluation: 90_000,
  notify: 45_000,
  lateLabels: 90_000,
  retrained: 90_000,
  resolved: 45_000,
  deliveryLog: 20_000,
};

export interface DemoOptions {
  readonly progress?: Progress;
}

/** Runs the demo; resolves with the exit code (0 when every step of the loop happened). */
export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const progress = options.progress ?? new Progress();
  const logger = createLogger("demo", process.env.DRIFTWATCH_LOG_LEVEL ?? "warn");
  const runId = `demo${Date.now().toString(36)}`;
  const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const cleanup: (() => Promise<void>)[] = [];
  let service: ServiceProcess | undefined;
  try {
    progress.step("1/9 local stack: ClickHouse, Kafka, Prometheus (driftwatch stack up)");
    const stack = await stackUp({
      progress: (line) => progress.detail(line),
      timeoutMs: TIMEOUT.stack,
    });
    for (const component of stack.components) {
      progress.detail(`${component.name}: ${component.action}`);
    }
    const baseEnv = { ...process.env, ...stack.env };
    const demoDir = join(resolveStackDir(process.env), "demo");
    mkdirSync(demoDir, { recursive: true });

    progress.step("2/9 local sinks: Slack-compatible API, SMTP server, retrain webhook receiver");
    const secrets = newSecrets();
    const slack = new SlackApiServer({ token: secrets.slackToken });
    const smtp = new SmtpPeer();
    const retrain = new RetrainReceiver(secrets.webhookSecret);
    for (const sink of [slack, smtp, retrain]) {
      await sink.start();
      cleanup.push(() => sink.stop());
    }
    progress.detail(`slack ${slack.apiUrl}  smtp 127.0.0.1:${smtp.port}  retrain ${retrain.url}`);
    const serverPort = await findFreePort();
    const demoConfig = writeDemoConfig({
      dir: demoDir,
      serverPort,
      smtpPort: smtp.port,
      slackApiUrl: slack.apiUrl,
      retrainUrl: retrain.url,
      secrets,
      baseEnv,
    });
    const config = demoConfig.config;
    const database = config.clickhouse.database;
    progress.detail(`config ${demoConfig.path} (from examples/demo/driftwatch.yaml)`);

    progress.step(`3/9 migrations of database ${database}`);
    const engine: SqlEngine = createClickHouseEngine(config.clickhouse);
    cleanup.push(() => engine.close());
    const applied = await applyMigrations(engine, database);
    progress.detail(applied.length === 0 ? "up to date" : `${applied.length} migration(s) applied`);

    const kafka = createKafkaClient(
      { brokers: config.kafka.brokers, clientId: config.kafka.clientId },
      logger,
    );
    const producer: Producer = kafka.producer();
    await producer.connect();
    cleanup.push(() => producer.close());
    const admin = kafka.admin();
    await admin.connect();
    await admin.ensureTopics(
      [config.kafka.topics.predictions, config.kafka.topics.labels].map((topic) => ({
        topic,
        partitions: config.kafka.topicPartitions,
        replicationFactor: config.kafka.replicationFactor,
      })),
    );
    await admin.close();

    const events = simulate(runId, todayMs);
    const history = events.filter((event) => event.modelVersion === "1");
    const driftDays = events.filter((event) => !event.labelInline);
    const retrained = events.filter((event) => event.modelVersion === "2");
    const firstDay = todayMs - DAY_PROFILES.length * DAY_MS;
    const referenceEnd = firstDay + 7 * DAY_MS;

    progress.step(
      `4/9 history of ${DEMO_MODEL} v1 through Kafka: a reference week and 4 drifting days (${history.length} events)`,
    );
    const ingestLog = join(demoDir, "serve-ingest.log");
    const ingester = await startService({
      role: "ingest",
      configPath: demoConfig.path,
      port: serverPort,
      env: demoConfig.env,
      logFile: ingestLog,
      readyTimeoutMs: TIMEOUT.ready,
    });
    service = ingester;
    await produce(producer, config.kafka.topics.predictions, records(history, eventPayload));
    await waitFor(
      progress,
      "history stored in ClickHouse",
      TIMEOUT.ingest,
      async () => {
        const counts = await storedCounts(engine, database, runId);
        return counts.events >= history.length ? counts : undefined;
      },
      () => `ingesting ${history.length} events`,
    );
    await ingester.stop();
    service = undefined;
    progress.detail(`${history.length} events stored (ingest-only run, log ${ingestLog})`);
    const deleted = await deleteEarlierRuns(engine, database, runId, 60_000);
    progress.detail(
      deleted.length === 0
        ? "no earlier demo data to replace"
        : `replaced an earlier run's ${DEMO_MODEL} rows in ${deleted.join(", ")}`,
    );
    await runCliCommand(
      [
        "reference",
        "set",
        "--model",
        DEMO_MODEL,
        "--version",
        "1",
        "--from",
        new Date(firstDay).toISOString(),
        "--to",
        new Date(referenceEnd).toISOString(),
        "--config",
        demoConfig.path,
      ],
      demoConfig.env,
      60_000,
    );
    progress.detail(
      `reference of v1: the week ${new Date(firstDay).toISOString().slice(0, 10)} – ${new Date(referenceEnd - 1).toISOString().slice(0, 10)}`,
    );

    progress.step("5/9 driftwatch serve --role all (ingest + monitor + API)");
    const serveLog = join(demoDir, "serve.log");
    service = await startService({
      role: "all",
      configPath: demoConfig.path,
      port: serverPort,
      env: demoConfig.env,
      logFile: serveLog,
      readyTimeoutMs: TIMEOUT.ready,
    });
    progress.detail(`API ${service.url}  log ${serveLog}`);
    const api = new DemoApi(service.url, secrets.writeToken);
    const v1Windows = 11;
    await waitFor(
      progress,
      "monitor evaluated the history's windows",
      TIMEOUT.firstEvaluation,
      async () => {
        const windows = (await evaluatedWindows(engine, database)).filter(
          (w) => w.modelVersion === "1" && w.rows > 0,
        );
        return windows.length >= v1Windows ? windows : undefined;
      },
      () => "waiting for the monitor's next pass (every 30 s)",
    );
    const windows = await evaluatedWindows(engine, database);
    for (const window of windows.filter((w) => w.rows > 0)) {
      const day = new Date(window.windowStart).toISOString().slice(0, 10);
      progress.detail(
        `${day} v${window.modelVersion}: ${window.rows} rows, drift share ${window.driftShare.toFixed(2)}${window.drifted ? "  DRIFTED" : ""}`,
      );
    }

    progress.step("6/9 alerts: Slack, email and the retrain webhook");
    await waitFor(
      progress,
      "drift alert delivered to Slack and email",
      TIMEOUT.notify,
      async () =>
        slack.messages.some((m) => /FIRING.*dataset-drift/.test(m.text)) &&
        smtp.mails.some((m) => /FIRING.*dataset-drift/.test(m.subject))
          ? true
          : undefined,
      () => `slack ${slack.messages.length} message(s), email ${smtp.mails.length}`,
    );
    for (const m of slack.messages) progress.detail(`slack ${m.channel}: ${m.text}`);
    for (const m of smtp.mails) progress.detail(`email to ${m.to.join(", ")}: ${m.subject}`);
    await waitFor(
      progress,
      "retrain webhook called with a valid signature",
      TIMEOUT.notify,
      async () => (retrain.calls.length > 0 ? true : undefined),
      () => `${retrain.calls.length} retrain call(s), ${retrain.refused.length} refused`,
    );
    const call = retrain.calls[0]!;
    progress.detail(
      `retrain request ${call.requestId} for ${call.model} v${call.modelVersion} (signature verified): ${call.reason}`,
    );

    progress.step(`7/9 late labels for the drifting days arrive (${driftDays.length} labels)`);
    await produce(
      producer,
      config.kafka.topics.labels,
      driftDays.map((event) => ({
        key: event.eventId,
        value: labelPayload(event, Math.min(Date.now(), event.ts + 2 * DAY_MS)),
      })),
    );
    await waitFor(
      progress,
      "accuracy decay evaluated and alerted",
      TIMEOUT.lateLabels,
      async () => {
        const labelled = (await evaluatedWindows(engine, database)).filter(
          (w) => w.modelVersion === "1" && w.rows > 0 && w.labelled > 0,
        ).length;
        const alerted =
          slack.messages.some((m) => /FIRING.*accuracy-decay/.test(m.text)) &&
          smtp.mails.some((m) => /FIRING.*accuracy-decay/.test(m.subject));
        return labelled >= v1Windows && alerted ? true : undefined;
      },
      () => `labels stored, waiting for the monitor's re-evaluation and the accuracy alert`,
    );
    progress.detail(
      slack.messages
        .filter((m) => /accuracy-decay/.test(m.text))
        .map((m) => `slack: ${m.text}`)
        .join("; "),
    );

    progress.step("8/9 retrain pipeline registers v2 with a new reference (recent labelled data)");
    const recent = driftDays.filter((event) => dayOf(event, todayMs) >= 9);
    const referenceRows = recent.map((event) => ({
      ...event.features,
      score: scoreOf("2", event.features),
      label: event.label,
    }));
    const registered = await api.post<{ modelVersion: string; reference?: { rows: number } }>(
      `/api/v1/models/${DEMO_MODEL}/versions`,
      {
        version: "2",
        reference: {
          kind: "dataset",
          rows: referenceRows,
          predictionColumn: "score",
          labelColumn: "label",
        },
      },
    );
    progress.detail(
      `POST /api/v1/models/${DEMO_MODEL}/versions → v${registered.modelVersion}, reference of ${registered.reference?.rows ?? referenceRows.length} rows`,
    );
    await produce(producer, config.kafka.topics.predictions, records(retrained, eventPayload));
    progress.detail(`v2 deployed: ${retrained.length} events over 3 days`);

    progress.step("9/9 drift clears on v2; alerts resolve");
    await waitFor(
      progress,
      "v2 windows evaluated",
      TIMEOUT.retrained,
      async () => {
        const v2 = (await evaluatedWindows(engine, database)).filter(
          (w) => w.modelVersion === "2" && w.rows > 0,
        );
        return v2.length >= 3 ? v2 : undefined;
      },
      () => "waiting for the monitor's next pass",
    );
    await waitFor(
      progress,
      "resolved notifications delivered",
      TIMEOUT.resolved,
      async () =>
        ["dataset-drift", "accuracy-decay"].every(
          (rule) =>
            slack.messages.some((m) => m.text.includes("RESOLVED") && m.text.includes(rule)) &&
            smtp.mails.some((m) => m.subject.includes("RESOLVED") && m.subject.includes(rule)),
        )
          ? true
          : undefined,
      () => `slack ${slack.messages.length} message(s), email ${smtp.mails.length}`,
    );
    // The delivery log row follows the send: let it catch up so the summary's counts agree.
    await waitFor(
      progress,
      "delivery log written",
      TIMEOUT.deliveryLog,
      async () =>
        (await deliveredMessages(engine, database)) >= slack.messages.length + smtp.mails.length
          ? true
          : undefined,
      () => `delivery log behind the sinks`,
    );

    const summary = await collectSummary({
      api,
      engine,
      database,
      todayMs,
      demoDir,
      env: demoConfig.env,
      slack,
      smtp,
      retrain,
      stackEnv: stack.env,
      serviceUrl: service.url,
      projectDir: packageRoot(),
    });
    printSummary(progress, summary);
    return summary.problems.length === 0 ? 0 : 1;
  } catch (error) {
    progress.endStatus();
    const step = error instanceof DemoStepError ? error.step : progress.current;
    process.stdout.write(
      `\ndriftwatch demo FAILED at step "${step}": ${(error as Error).message}\n`,
    );
    return 1;
  } finally {
    if (service !== undefined) {
      progress.step("stopping the demo's serve process (the stack keeps running)");
      await service.stop();
    }
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  }
}

function records(
  events: readonly SimulatedEvent[],
  payload: (event: SimulatedEvent) => string,
): { key: string; value: string }[] {
  return events.map((event) => ({ key: event.eventId, value: payload(event) }));
}
