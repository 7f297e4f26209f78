// Servers of a heavy test file's own (DESIGN: fault, fuzz and cluster files run on servers of
// their own, so a killed server never breaks a neighbouring test): a private ClickHouse 18.16 and
// a private Kafka broker on free ports and temp directories, destroyed at the end of the file.
import {
  startPrivateClickHouse,
  startPrivateKafka,
  type PrivateClickHouse,
  type PrivateKafka,
} from "../../src/stack/index.js";

export interface PrivateServers {
  readonly clickhouse: PrivateClickHouse;
  readonly kafka: PrivateKafka;
  /** The env a driftwatch child process needs to use them. */
  readonly env: Record<string, string>;
  destroy(): Promise<void>;
}

export async function startPrivateServers(): Promise<PrivateServers> {
  const [clickhouse, kafka] = await Promise.all([startPrivateClickHouse(), startPrivateKafka()]);
  return {
    clickhouse,
    kafka,
    env: {
      DRIFTWATCH_CLICKHOUSE_URL: clickhouse.url,
      DRIFTWATCH_KAFKA_BROKERS: kafka.brokers.join(","),
    },
    async destroy() {
      await Promise.all([clickhouse.destroy(), kafka.destroy()]);
    },
  };
}
