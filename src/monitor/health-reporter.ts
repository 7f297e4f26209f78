// The evaluator's self-health wiring: a SelfHealth fed by the scheduler (models evaluated or
// failed, passes completed), an ingest-lag reader on a Kafka admin client kept for it, and the
// report of each tick — gauges, and health batches to the evaluation sink.
import type { DriftwatchConfig } from "../config/index.js";
import type { Admin, KafkaClient } from "../kafka/index.js";
import type { Registry } from "../metrics/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";
import type { EvaluationSink } from "./evaluation-sink.js";
import { ingestLagSeconds } from "./ingest-lag.js";
import { modelSettings } from "./model-settings.js";
import { SelfHealth } from "./self-health.js";

export interface HealthReporterOptions {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly registry: Registry;
  readonly logger: Logger;
  /** For the ingest lag (without it the lag is not measured here). */
  readonly kafka?: KafkaClient;
  readonly now: () => number;
  /** Where the health batches go (and who counts failed notifications). */
  readonly sink: EvaluationSink;
  /** How long one tick is (the health window). */
  readonly tickMs: number;
}

export class HealthReporter {
  private readonly health: SelfHealth;
  private lagAdmin?: Promise<Admin>;

  constructor(private readonly options: HealthReporterOptions) {
    const { kafka } = options.config;
    const client = options.kafka;
    this.health = new SelfHealth(
      {
        engine: options.engine,
        database: options.config.clickhouse.database,
        logger: options.logger,
        ...(client !== undefined
          ? {
              ingestLagSeconds: async (now: number) =>
                ingestLagSeconds(
                  await this.admin(client),
                  kafka.groupId,
                  [kafka.topics.predictions, kafka.topics.labels],
                  now,
                ),
            }
          : {}),
        ...(options.sink.notificationFailures !== undefined
          ? { notificationFailures: (now: number) => options.sink.notificationFailures!(now) }
          : {}),
      },
      options.registry,
      options.now(),
    );
  }

  /** The model's evaluation was brought up to date. */
  evaluated(model: string): void {
    this.health.evaluated(model, this.options.now());
  }

  /** A pass over the model failed. */
  failed(model: string): void {
    this.health.failed(model);
  }

  /** A scheduler pass over every model ended. */
  passCompleted(): void {
    this.health.passCompleted(this.options.now());
  }

  /** This tick's health of `models` and of the service: gauges, and batches for the engine. */
  async report(models: readonly string[]): Promise<void> {
    try {
      const { config } = this.options;
      const batches = await this.health.collect(
        models.map((name) => ({ name, intervalMs: modelSettings(config.models, name).intervalMs })),
        this.options.now(),
        {
          heartbeat: config.alerts.selfMonitoring.heartbeat.enabled,
          windowMs: this.options.tickMs,
        },
      );
      this.options.sink.health(batches);
    } catch (error) {
      this.options.logger.error({ err: error }, "self-health report failed");
    }
  }

  /** Close the Kafka admin client (idempotent). */
  async stop(): Promise<void> {
    const admin = this.lagAdmin;
    this.lagAdmin = undefined;
    await admin?.then((client) => client.close()).catch(() => undefined);
  }

  /** A Kafka admin client kept for the ingest-lag reads (connected on first use). */
  private admin(kafka: KafkaClient): Promise<Admin> {
    if (this.lagAdmin === undefined) {
      const admin = kafka.admin();
      const connecting = admin.connect().then(() => admin);
      connecting.catch(() => {
        if (this.lagAdmin === connecting) this.lagAdmin = undefined;
      });
      this.lagAdmin = connecting;
    }
    return this.lagAdmin;
  }
}
