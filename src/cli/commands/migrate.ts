// `driftwatch migrate`: apply the ClickHouse migrations (and, with --retention, drop expired partitions).
import type { Command } from "commander";
import { applyMigrations, applyRetention, MIGRATIONS } from "../../store/index.js";
import { createLogger } from "../../util/index.js";
import { withCliContext } from "../context.js";

interface MigrateOptions {
  readonly config?: string;
  readonly retention?: boolean;
}

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description(
      "create the ClickHouse database and tables: apply pending numbered migrations (idempotent)",
    )
    .option(
      "-c, --config <file>",
      "config file (default: $DRIFTWATCH_CONFIG, else built-in defaults)",
    )
    .option("--retention", "also drop day partitions older than the configured retention")
    .addHelpText(
      "after",
      `
Connects to clickhouse.url (env DRIFTWATCH_CLICKHOUSE_URL) and creates database
clickhouse.database (env DRIFTWATCH_CLICKHOUSE_DATABASE, default "driftwatch").
Prints each migration it applies; running it again applies nothing.`,
    )
    .action(async (options: MigrateOptions) => {
      await runMigrate(options);
    });
}

async function runMigrate(options: MigrateOptions): Promise<void> {
  await withCliContext(options.config, "migrate", async ({ config, engine }) => {
    const database = config.clickhouse.database;
    const applied = await applyMigrations(engine, database);
    for (const migration of applied) {
      process.stdout.write(
        `applied ${String(migration.version).padStart(3, "0")} ${migration.name}\n`,
      );
    }
    if (applied.length === 0) {
      process.stdout.write(
        `database ${database} is up to date (${MIGRATIONS.length} migrations applied earlier)\n`,
      );
    } else {
      process.stdout.write(`database ${database}: ${applied.length} migration(s) applied\n`);
    }
    if (options.retention === true) {
      const dropped = await applyRetention(engine, config, new Date(), createLogger("migrate"));
      for (const partition of dropped) {
        process.stdout.write(
          `retention: dropped ${database}.${partition.table} partition ${partition.partition}\n`,
        );
      }
      if (dropped.length === 0) process.stdout.write("retention: nothing to drop\n");
    }
  });
}
