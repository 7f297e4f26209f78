// Reads retried once: a SELECT that failed because the connection broke (e.g. a keep-alive
// socket the server closed while the evaluator was idle) is sent again on a fresh connection.
// Only `query` is retried — it is idempotent; commands and inserts fail as they are.
import { ClickHouseUnavailableError } from "../store/errors.js";
import type { SqlEngine } from "../store/engine.js";
import type { SqlFragment } from "../store/sql.js";

const RETRY_DELAY_MS = 200;

export function withReadRetry(engine: SqlEngine): SqlEngine {
  return {
    kind: engine.kind,
    command: (statement) => engine.command(statement),
    async query<Row extends object>(statement: SqlFragment): Promise<Row[]> {
      try {
        return await engine.query<Row>(statement);
      } catch (error) {
        if (!(error instanceof ClickHouseUnavailableError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        return engine.query<Row>(statement);
      }
    },
    insert: (table, rows, options) => engine.insert(table, rows, options),
    insertJsonEachRow: (table, body, options) => engine.insertJsonEachRow(table, body, options),
    ping: () => engine.ping(),
    serverVersion: () => engine.serverVersion(),
    close: () => engine.close(),
  };
}
