// The architecture's rules (docs/architecture.md), checked in CI (`npm run lint:deps`, part of
// .ci/run's static checks). The parts, top to bottom — a part imports only parts below it:
//   src/cli (with src/stack, src/demo beside it)
//   src/service
//   src/api, src/monitor, src/ingest, src/integrations, alerts
//   src/store, src/kafka, src/audit, src/metrics, src/check (which uses detectors only)
//   src/config, src/util, detectors
// and every part is imported only through its index.ts (dashboards/ through links.ts).
// detectors/ is pure (it imports nothing of driftwatch), so it sits at the base: the config's
// grammar names its vocabulary (drift tests, metric names, result kinds) instead of a copy.
// Tests, benchmarks and scripts may import inner files; they are not checked here.

/** A part: its folder. */
const PART = "^(src/[^/]+|alerts|detectors|dashboards)/";

/** Parts above the given ones, for the layer rules. */
const TOP = "^src/(cli|stack|demo)/";
const SERVICE = "^src/service/";
const MIDDLE = "^(src/(api|monitor|ingest|integrations)|alerts)/";
const LOW = "^(src/(store|kafka|audit|metrics|check)|detectors)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "no import cycle at all: with every part imported through its index, a cycle between " +
        "parts is a cycle between modules, and cycles inside a part hide an unclear order too",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "service-not-upwards",
      comment: "src/service wires a process; only the CLI (and the demo) sit above it",
      severity: "error",
      from: { path: SERVICE },
      to: { path: TOP },
    },
    {
      name: "middle-not-upwards",
      comment:
        "src/api, src/monitor, src/ingest and alerts/ are wired by src/service, never the reverse",
      severity: "error",
      from: { path: MIDDLE },
      to: { path: [TOP, SERVICE] },
    },
    {
      name: "low-not-upwards",
      comment: "store, kafka, audit, metrics, check and detectors serve the parts above them",
      severity: "error",
      from: { path: LOW },
      to: { path: [TOP, SERVICE, MIDDLE] },
    },
    {
      name: "base-not-upwards",
      comment:
        "src/config and src/util are the base every part may use; they use nothing above " +
        "(config may name detectors' vocabulary: detectors import nothing of driftwatch)",
      severity: "error",
      from: { path: "^src/(config|util)/" },
      to: { path: [TOP, SERVICE, MIDDLE, LOW, "^dashboards/"], pathNot: "^detectors/" },
    },
    {
      name: "detectors-pure",
      comment: "detectors are pure statistics: nothing of src/ or alerts/",
      severity: "error",
      from: { path: "^detectors/" },
      to: { path: "^(src|alerts|dashboards)/" },
    },
    {
      name: "check-uses-detectors-only",
      comment:
        "`driftwatch check` works on files: detectors (and src/util), nothing of the service",
      severity: "error",
      from: { path: "^src/check/" },
      to: { path: "^(src/(?!check/|util/)|alerts/|dashboards/)" },
    },
    {
      name: "alerts-not-api-ingest-monitor",
      comment: "the alert engine takes result batches; it knows nothing of who produces them",
      severity: "error",
      from: { path: "^alerts/" },
      to: { path: "^src/(api|ingest|monitor)/" },
    },
    {
      name: "ingest-not-monitor-api-alerts",
      comment: "ingestion stores events; evaluation and alerting read them later",
      severity: "error",
      from: { path: "^src/ingest/" },
      to: { path: "^(src/(monitor|api)|alerts)/" },
    },
    {
      name: "monitor-not-api-ingest",
      comment: "the monitor reads the store and emits windows to a sink; the API calls the monitor",
      severity: "error",
      from: { path: "^src/monitor/" },
      to: { path: "^src/(api|ingest|integrations)/" },
    },
    {
      name: "integrations-not-api-ingest-alerts",
      comment: "integrations call the monitor's operations; the API and the service call them",
      severity: "error",
      from: { path: "^src/integrations/" },
      to: { path: "^(src/(api|ingest)|alerts)/" },
    },
    {
      name: "store-not-above",
      comment: "the store knows tables and SQL, nothing of the parts that use it",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^(src/(kafka|audit|metrics|check)|detectors)/" },
    },
    {
      name: "low-parts-apart",
      comment: "kafka, metrics and detectors stand alone; audit records through the store only",
      severity: "error",
      from: { path: "^(src/(kafka|metrics)|detectors)/" },
      to: { path: "^(src/(store|kafka|audit|metrics|check)|detectors)/", pathNot: "^$1/" },
    },
    {
      name: "audit-through-store",
      severity: "error",
      from: { path: "^src/audit/" },
      to: { path: "^(src/(kafka|metrics|check)|detectors)/" },
    },
    {
      name: "api-not-ingest-internals",
      comment: "the API reaches ingestion through its index only (validation of events)",
      severity: "error",
      from: { path: "^src/api/" },
      to: { path: "^src/ingest/(?!index\\.ts$)" },
    },
    {
      name: "only-through-index",
      comment: "another part is imported through its index.ts (dashboards/ through links.ts)",
      severity: "error",
      from: { path: PART },
      to: {
        path: PART,
        pathNot: ["^$1/", "^(src/[^/]+|alerts|detectors)/index\\.ts$", "^dashboards/links\\.ts$"],
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules|test|bench|scripts)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
