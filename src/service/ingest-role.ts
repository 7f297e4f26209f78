// The ingest role: the Ingester configured from the `kafka` and `ingest` config sections, and
// the inference integrations' joiners (KServe, Seldon) when configured.
import { Ingester, type IngesterSettings, IngestMetrics } from "../ingest/index.js";
import type { DriftwatchConfig } from "../config/index.js";
import { startInferenceJoiners } from "./inference-joiners.js";
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
  const inference = await startInferenceJoiners(context).catch(async (error: unknown) => {
    await ingester.stop();
    throw error;
  });
  return {
    name: "ingest",
    readiness: () => [ingester.readiness(), inference.readiness()].filter(Boolean).join("; "),
    onFatal: (listener) => {
      ingester.onFatal(listener);
      inference.onFatal(listener);
    },
    // The joiners first: what they produce is the ingester's to store.
    stop: async () => {
      const joinersClean = await inference.stop();
      return (await ingester.stop()) && joinersClean;
    },
  };
};
