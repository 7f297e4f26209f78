// The ingest role: the Ingester configured from the `kafka` and `ingest` config sections.
import { Ingester, type IngesterSettings } from "../ingest/index.js";
import { IngestMetrics } from "../ingest/index.js";
import type { DriftwatchConfig } from "../config/index.js";
import type { RoleStarter, RunningRole } from "./role.js";

export function ingesterSettings(config: DriftwatchConfig): IngesterSettings {
  const { kafka, ingest, clickhouse, retention } = config;
  return {
    database: clickhouse.database,
    topics: {
      predictions: kafka.topics.predictions,
      labels: kafka.topics.labels,
      dlq: kafka.topics.dlq,
    },
    groupId: kafka.groupId,
    topicPartitions: kafka.topicPartitions,
    replicationFactor: kafka.replicationFactor,
    batchMaxRows: ingest.batchMaxRows,
    batchMaxBytes: ingest.batchMaxBytes,
    batchMaxWaitMs: ingest.batchMaxWaitMs,
    maxEventBytes: ingest.maxEventBytes,
    models: {
      allow: ingest.models.allow,
      deny: ingest.models.deny,
      maxModels: ingest.maxModels,
      activeDays: retention.predictions ?? 0,
    },
    dedupWindowEvents: ingest.dedupWindowEvents,
    retry: ingest.retry,
  };
}

export const startIngestRole: RoleStarter = async (context): Promise<RunningRole> => {
  const ingester = new Ingester(ingesterSettings(context.config), {
    kafka: context.kafka,
    engine: context.engine,
    metrics: new IngestMetrics(context.registry),
    logger: context.logger.child({ role: "ingest" }),
  });
  await ingester.start();
  return {
    name: "ingest",
    readiness: () => ingester.readiness(),
    onFatal: (listener) => ingester.onFatal(listener),
    stop: () => ingester.stop(),
  };
};
