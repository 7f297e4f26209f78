// The inference integrations of the ingest role: KServe's joiner (integrations.kserve) and
// Seldon's forwarder and joiner (integrations.seldon), each configured from its config section
// and the `kafka` and `ingest` ones, started and stopped together with the ingester.
import type { DriftwatchConfig } from "../config/index.js";
import { parseDuration } from "../config/index.js";
import {
  InferenceMetrics,
  kserveCodec,
  PairIngester,
  SeldonForwarder,
  seldonCodec,
  type PairIngesterSettings,
} from "../ingest/index.js";
import type { ServiceContext } from "./role.js";

/** What the ingest role runs besides the ingester. */
export interface InferenceJoiners {
  readiness(): string;
  onFatal(listener: (error: Error) => void): void;
  stop(): Promise<boolean>;
}

interface Component {
  start(): Promise<void>;
  stop(): Promise<boolean>;
  onFatal(listener: (error: Error) => void): void;
  readiness?(): string;
}

function joinSettings(
  config: DriftwatchConfig,
  section: { topic: string; groupId: string; joinWait: string; maxPendingHalves: number },
): PairIngesterSettings {
  const { kafka, ingest, clickhouse } = config;
  return {
    topic: section.topic,
    groupId: section.groupId,
    predictionsTopic: kafka.topics.predictions,
    dlqTopic: kafka.topics.dlq,
    database: clickhouse.database,
    topicPartitions: kafka.topicPartitions,
    replicationFactor: kafka.replicationFactor,
    joinWaitMs: parseDuration(section.joinWait),
    maxPendingHalves: section.maxPendingHalves,
    maxEventBytes: ingest.maxEventBytes,
    retry: ingest.retry,
  };
}

/** Start the configured integrations (none: a no-op). */
export async function startInferenceJoiners(context: ServiceContext): Promise<InferenceJoiners> {
  const { config } = context;
  const { kserve, seldon } = config.integrations;
  const components: Component[] = [];
  if (kserve !== undefined || seldon !== undefined) {
    const metrics = new InferenceMetrics(context.registry);
    const logger = context.logger.child({ role: "ingest" });
    const shared = { kafka: context.kafka, engine: context.engine, metrics };
    if (kserve !== undefined) {
      components.push(
        new PairIngester(joinSettings(config, kserve), {
          ...shared,
          logger: logger.child({ integration: "kserve" }),
          codec: kserveCodec(kserve.models),
        }),
      );
    }
    if (seldon !== undefined) {
      components.push(
        new PairIngester(joinSettings(config, seldon), {
          ...shared,
          logger: logger.child({ integration: "seldon" }),
          codec: seldonCodec(seldon.models),
        }),
        new SeldonForwarder(
          {
            inputTopics: seldon.inputTopics,
            requestIdHeader: seldon.requestIdHeader,
            topic: seldon.topic,
            groupId: `${seldon.groupId}-forward`,
            refreshMs: parseDuration(seldon.refreshTopics),
          },
          { kafka: context.kafka, metrics, logger: logger.child({ integration: "seldon" }) },
        ),
      );
    }
  }
  const started: Component[] = [];
  const stopAll = async () => {
    let clean = true;
    for (const component of started.reverse()) clean = (await component.stop()) && clean;
    return clean;
  };
  try {
    for (const component of components) {
      await component.start();
      started.push(component);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    readiness: () =>
      components
        .map((component) => component.readiness?.() ?? "")
        .filter((problem) => problem !== "")
        .join("; "),
    onFatal: (listener) => {
      for (const component of components) component.onFatal(listener);
    },
    stop: stopAll,
  };
}
