// The registry of migrations, in order. To add one: a new file NNN_what.ts exporting a Migration
// with the next version number, and one line below.
import { coreTables } from "./001_core_tables.js";
import { resultTables } from "./002_results.js";
import { alertAndAuditTables } from "./003_alerts_audit.js";
import { ingestPositions } from "./004_ingest_positions.js";
import { alertingTables } from "./005_alerting.js";
import { monitorTables } from "./006_monitor.js";
import { modelCatalog } from "./007_model_catalog.js";
import { ingestCounts } from "./008_ingest_counts.js";
import { performanceEstimates } from "./009_performance_estimates.js";
import { windowHistograms } from "./010_window_histograms.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

export const MIGRATIONS: readonly Migration[] = [
  coreTables,
  resultTables,
  alertAndAuditTables,
  ingestPositions,
  alertingTables,
  monitorTables,
  modelCatalog,
  ingestCounts,
  performanceEstimates,
  windowHistograms,
];
