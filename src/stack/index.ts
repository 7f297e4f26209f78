// Public surface of the local stack (ClickHouse, Kafka, Prometheus) for the CLI, the tests'
// global setup and other tests.
export { startPrivateClickHouse } from "./private-clickhouse.js";
export type { PrivateClickHouse, PrivateClickHouseOptions } from "./private-clickhouse.js";
export { findFreePort } from "./probes.js";
