// The demo's closing summary: drifted features with their values, accuracy before/after, alerts
// fired and resolved, notifications delivered, the retrain call, where the dashboards are, and an
// HTML report written by `driftwatch check` on CSV exports of the reference week and the last
// drifting day. Collects the problems that make the demo exit non-zero.
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DRIFT_METRIC, DRIFT_SHARE_METRIC, QUALITY_METRIC } from "../../detectors/index.js";
import type { StackEnv } from "../stack/index.js";
import { type SqlEngine, sql, tableRef } from "../store/index.js";
import type { DemoApi } from "./api-client.js";
import type { Progress } from "./progress.js";
import type { RetrainReceiver } from "./retrain-receiver.js";
import { runCliCommand } from "./run-cli.js";
import { exportEventsCsv } from "./demo-data.js";
import { DAY_MS, DEMO_MODEL } from "./simulator.js";
import type { SlackApiServer, SmtpPeer } from "./peers/index.js";

const QUALITY_METRICS: ReadonlySet<string> = new Set(Object.values(QUALITY_METRIC));

interface DriftRow {
  modelVersion: string;
  windowStart: string;
  feature: string;
  metric: string;
  value: number;
  threshold: number;
  drifted: boolean;
}

interface PerformanceRow {
  modelVersion: string;
  windowStart: string;
  metric: string;
  value: number;
  referenceValue: number | null;
  nLabelled: number;
}

interface AlertRow {
  rule: string;
  state: string;
  feature: string | null;
  value: number | null;
  firedAt: string | null;
  resolvedAt: string | null;
}

export interface DemoSummary {
  readonly lines: string[];
  readonly problems: string[];
}

export interface SummaryInput {
  readonly api: DemoApi;
  readonly engine: SqlEngine;
  readonly database: string;
  readonly todayMs: number;
  readonly demoDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly slack: SlackApiServer;
  readonly smtp: SmtpPeer;
  readonly retrain: RetrainReceiver;
  readonly stackEnv: StackEnv;
  readonly serviceUrl: string;
  readonly projectDir: string;
}

const fmt = (value: number | null | undefined, digits = 3): string =>
  value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);

export async function collectSummary(input: SummaryInput): Promise<DemoSummary> {
  const lines: string[] = [];
  const problems: string[] = [];
  const from = new Date(input.todayMs - 20 * DAY_MS).toISOString();
  const to = new Date(input.todayMs).toISOString();
  const model = encodeURIComponent(DEMO_MODEL);

  // Drift: the last v1 window (the last drifting day) and the last v2 window.
  const drift = await input.api.get<{ results: DriftRow[] }>(
    `/api/v1/models/${model}/drift?from=${from}&to=${to}&limit=100000`,
  );
  // The last drifting day (day 10 of 14) and the last day of the retrained version.
  const lastDriftDay = input.todayMs - 4 * DAY_MS;
  const lastRetrainedDay = input.todayMs - DAY_MS;
  const verdicts = (version: string, windowStart: number) =>
    drift.results.filter(
      (row) =>
        row.modelVersion === version &&
        Date.parse(row.windowStart) === windowStart &&
        row.feature !== "_dataset" &&
        row.threshold > 0 &&
        row.metric !== DRIFT_METRIC.psi &&
        !QUALITY_METRICS.has(row.metric),
    );
  const shareOf = (version: string, windowStart: number) =>
    drift.results.find(
      (row) =>
        row.modelVersion === version &&
        Date.parse(row.windowStart) === windowStart &&
        row.feature === "_dataset" &&
        row.metric === DRIFT_SHARE_METRIC,
    )?.value;
  const v1Last = lastDriftDay;
  const v2Last = lastRetrainedDay;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const v1Drifted = verdicts("1", v1Last).filter((row) => row.drifted);
  lines.push(
    `Drift on the last drifting day (${day(v1Last)}, v1), drift share ${fmt(shareOf("1", v1Last), 2)}:`,
  );
  for (const row of v1Drifted) {
    lines.push(
      `  ${row.feature.padEnd(12)} ${row.metric} ${fmt(row.value)} (threshold ${row.threshold})`,
    );
  }
  const newCategory = drift.results.find(
    (row) =>
      row.modelVersion === "1" &&
      Date.parse(row.windowStart) === v1Last &&
      row.feature === "region" &&
      row.metric === QUALITY_METRIC.newCategoryShare,
  );
  if (newCategory !== undefined)
    lines.push(`  region: new category share ${fmt(newCategory.value)} (LATAM)`);
  if (v1Drifted.length === 0) problems.push("no drifted feature on the last drifting day");
  const v2Drifted = verdicts("2", v2Last).filter((row) => row.drifted);
  lines.push(
    `After retraining (${day(v2Last)}, v2): drift share ${fmt(shareOf("2", v2Last), 2)}, drifted features: ${v2Drifted.length === 0 ? "none" : v2Drifted.map((row) => row.feature).join(", ")}`,
  );
  if (shareOf("2", v2Last) === undefined) problems.push("no drift results for v2");
  else if (v2Drifted.length > 0)
    problems.push(`v2 still drifts (${v2Drifted.map((r) => r.feature).join(", ")})`);

  // Accuracy per window.
  const performance = await input.api.get<{ results: PerformanceRow[] }>(
    `/api/v1/models/${model}/performance?from=${from}&to=${to}&metric=accuracy`,
  );
  lines.push("Accuracy per day (labelled rows; reference accuracy of the version):");
  for (const row of performance.results.filter((r) => r.nLabelled > 0)) {
    lines.push(
      `  ${row.windowStart.slice(0, 10)} v${row.modelVersion}  ${fmt(row.value)}  (n=${row.nLabelled}; reference ${fmt(row.referenceValue)})`,
    );
  }
  const accuracy = (
    version: string,
    pick: (rows: PerformanceRow[]) => PerformanceRow | undefined,
  ) => pick(performance.results.filter((row) => row.modelVersion === version && row.nLabelled > 0));
  const before = accuracy("1", (rows) => rows[0]);
  const worst = accuracy("1", (rows) =>
    rows.reduce<PerformanceRow | undefined>(
      (w, r) => (w === undefined || r.value < w.value ? r : w),
      undefined,
    ),
  );
  const after = accuracy("2", (rows) => rows.at(-1));
  lines.push(
    `Accuracy: reference ${fmt(before?.referenceValue)} → ${fmt(worst?.value)} at the concept drift (v1) → ${fmt(after?.value)} after retraining (v2)`,
  );
  if (
    worst === undefined ||
    before?.referenceValue === undefined ||
    before.referenceValue === null ||
    before.referenceValue - worst.value < 0.1
  ) {
    problems.push("accuracy decay not measured");
  }
  if (after === undefined || worst === undefined || after.value <= worst.value)
    problems.push("accuracy did not recover on v2");

  // Alerts.
  const alerts = await input.api.get<{ alerts: AlertRow[] }>(
    `/api/v1/alerts?state=pending,firing,resolved`,
  );
  const ofDemo = alerts.alerts;
  const fired = ofDemo.filter((alert) => alert.firedAt !== null);
  const resolved = fired.filter((alert) => alert.state === "resolved");
  lines.push(`Alerts: ${fired.length} fired, ${resolved.length} resolved`);
  for (const alert of fired) {
    lines.push(
      `  ${alert.rule}${alert.feature === null ? "" : `[${alert.feature}]`}: ${alert.state}, fired ${alert.firedAt?.slice(11, 19) ?? "—"}, resolved ${alert.resolvedAt?.slice(11, 19) ?? "—"}`,
    );
  }
  for (const rule of ["dataset-drift", "accuracy-decay"]) {
    const alert = fired.find((a) => a.rule === rule);
    if (alert === undefined) problems.push(`alert ${rule} never fired`);
    else if (alert.state !== "resolved")
      problems.push(`alert ${rule} did not resolve (${alert.state})`);
  }

  // Notifications: what the sinks received, and the delivery log.
  const log = await input.engine.query<{ integration: string; kind: string; n: number }>(
    sql`SELECT integration, kind, count() AS n FROM ${tableRef(input.database, "notifications")}
  WHERE model = ${DEMO_MODEL} AND status = 'delivered' GROUP BY integration, kind ORDER BY integration, kind`,
  );
  lines.push(
    `Notifications: Slack sink ${input.slack.messages.length} message(s), SMTP sink ${input.smtp.mails.length} mail(s); delivery log: ${log.map((row) => `${row.integration}/${row.kind} ${row.n}`).join(", ")}`,
  );
  for (const m of input.slack.messages)
    lines.push(`  slack ${m.channel}${m.threadTs === undefined ? "" : " (thread)"}: ${m.text}`);
  for (const m of input.smtp.mails) lines.push(`  email ${m.to.join(", ")}: ${m.subject}`);
  if (!input.slack.messages.some((m) => /RESOLVED/.test(m.text)))
    problems.push("no resolved message on Slack");
  if (!input.smtp.mails.some((m) => /RESOLVED/.test(m.subject))) problems.push("no resolved email");

  // Retrain.
  const call = input.retrain.calls[0];
  lines.push(
    call === undefined
      ? "Retrain: no call received"
      : `Retrain: ${input.retrain.calls.length} signed call(s) verified (request ${call.requestId}, ${call.model} v${call.modelVersion}, source ${call.source}); ${input.retrain.refused.length} refused; v2 registered with a reference of the last 2 days`,
  );
  if (call === undefined) problems.push("retrain webhook never called");

  // HTML report with `driftwatch check`.
  const referenceCsv = join(input.demoDir, "reference.csv");
  const currentCsv = join(input.demoDir, "current.csv");
  const reportHtml = join(input.demoDir, "report.html");
  const firstDay = input.todayMs - 14 * DAY_MS;
  const exported = [
    await exportEventsCsv(
      input.engine,
      input.database,
      { version: "1", from: firstDay, to: firstDay + 7 * DAY_MS },
      referenceCsv,
    ),
    await exportEventsCsv(
      input.engine,
      input.database,
      { version: "1", from: lastDriftDay, to: lastDriftDay + DAY_MS },
      currentCsv,
    ),
  ];
  const check = await runCliCommand(
    [
      "check",
      "--reference",
      referenceCsv,
      "--current",
      currentCsv,
      "--categorical",
      "region,employed",
      "--json",
      "--html",
      reportHtml,
    ],
    input.env,
    60_000,
    [0, 1],
  );
  const report = JSON.parse(check.stdout) as {
    drift_share: number;
    columns: Record<string, { drifted: boolean }>;
  };
  const show = (path: string) => relative(process.cwd(), path) || path;
  lines.push(
    `driftwatch check on CSVs exported from ClickHouse (reference week, ${exported[0]} rows, vs last drifting day, ${exported[1]} rows): drift share ${fmt(report.drift_share, 2)}, drifted ${Object.entries(
      report.columns,
    )
      .filter(([, c]) => c.drifted)
      .map(([n]) => n)
      .join(", ")}; HTML report ${show(reportHtml)}`,
  );
  if (!Object.values(report.columns).some((c) => c.drifted)) {
    problems.push("driftwatch check found no drift in the exported CSVs");
  }

  // Where to look next.
  lines.push(
    `Results stay in ClickHouse database ${input.database} (model ${DEMO_MODEL}); the stack keeps running (${input.stackEnv.DRIFTWATCH_CLICKHOUSE_URL}, Prometheus ${input.stackEnv.DRIFTWATCH_PROMETHEUS_URL}).`,
    "Dashboards: `docker compose up -d` in the project directory, then Grafana http://localhost:3000 —",
    `  http://localhost:3000/d/driftwatch-model?var-model=${DEMO_MODEL}, /d/driftwatch-performance?var-model=${DEMO_MODEL}, /d/driftwatch-fleet, /d/driftwatch-service`,
    `  (this machine cannot run docker; the dashboards' queries run on the same tables).`,
  );
  writeFileSync(join(input.demoDir, "summary.txt"), lines.join("\n") + "\n");
  return { lines, problems };
}

export function printSummary(progress: Progress, summary: DemoSummary): void {
  progress.step("summary");
  process.stdout.write(`\n${summary.lines.join("\n")}\n\n`);
  if (summary.problems.length === 0) {
    process.stdout.write(
      "driftwatch demo: the whole loop ran — drift detected, alerted, retrained, cleared.\n",
    );
  } else {
    process.stdout.write(`driftwatch demo FAILED: ${summary.problems.join("; ")}\n`);
  }
}
