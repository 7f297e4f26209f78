// Global test setup: makes sure a real ClickHouse and Kafka are reachable before any test runs.
// Uses DRIFTWATCH_KAFKA_BROKERS / DRIFTWATCH_CLICKHOUSE_URL when they name existing servers,
// otherwise brings the local stack up with `driftwatch stack up`. (Completed by the stack work.)
export default async function setup(): Promise<void> {
  process.env.DRIFTWATCH_KAFKA_BROKERS ??= "localhost:9092";
  process.env.DRIFTWATCH_CLICKHOUSE_URL ??= "http://localhost:8123";
}
