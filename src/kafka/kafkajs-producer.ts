// Producer on kafkajs: every send waits for all in-sync replicas (acks=all) and keeps bytes as given.
//
// One kafkajs send() per partition: a send that spans several leaders loses records when one
// leader dies mid-send (kafkajs issue #1303, open): the retry refreshes the metadata and sends
// again only to leaders that had not answered yet, so records of a partition whose leadership
// moved to a broker that had already answered are dropped while send() resolves. With one
// partition per send, the retry goes to the partition's new leader whatever happened before
// (test/cluster/scale-out.test.ts kills a broker while producing).
import {
  Partitioners,
  type Admin,
  type Kafka,
  type PartitionMetadata,
  type Producer as KafkajsProducerClient,
} from "kafkajs";
import { KafkaRecordsRejectedError, recordRejectionType } from "./errors.js";
import type { OutgoingRecord, Producer } from "./types.js";

/** How long a topic's partition list is trusted before it is asked again. */
const METADATA_TTL_MS = 30_000;

interface TopicPartitions {
  readonly partitions: PartitionMetadata[];
  readonly fetchedAt: number;
}

export class KafkajsProducer implements Producer {
  private readonly producer: KafkajsProducerClient;
  private readonly admin: Admin;
  /** The Java client's partitioner: the same key lands on the same partition as with other clients. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly topics = new Map<string, TopicPartitions>();
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
    this.admin = kafka.admin({ retry: { retries: 3 } });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    try {
      await this.admin.connect();
    } catch (error) {
      await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.connected = true;
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      const groups = await this.byPartition(topic, records);
      await Promise.all(
        [...groups].map(([partition, group]) => this.sendTo(topic, group, partition)),
      );
    } catch (error) {
      const rejection = recordRejectionType(error);
      if (rejection === undefined) throw error;
      throw new KafkaRecordsRejectedError(
        rejection,
        `${topic} refused ${records.length} record(s): ${rejection} (${(error as Error).message})`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private async sendTo(
    topic: string,
    records: readonly OutgoingRecord[],
    partition: number | undefined,
  ): Promise<void> {
    await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((record) => ({
        key: record.key ?? null,
        value: record.value,
        headers: record.headers === undefined ? undefined : { ...record.headers },
        partition: record.partition ?? partition,
      })),
    });
  }

  /**
   * The records grouped by the partition they go to (an explicit one, else the partitioner's).
   * Without the topic's metadata (e.g. no such topic) they stay one group: kafkajs reports why.
   */
  private async byPartition(
    topic: string,
    records: readonly OutgoingRecord[],
  ): Promise<Map<number | undefined, OutgoingRecord[]>> {
    const partitionMetadata = await this.partitionsOf(topic);
    const groups = new Map<number | undefined, OutgoingRecord[]>();
    for (const record of records) {
      const partition =
        record.partition ??
        (partitionMetadata === undefined
          ? undefined
          : this.partitioner({
              topic,
              partitionMetadata,
              message: { key: record.key ?? null, value: record.value },
            }));
      const group = groups.get(partition);
      if (group === undefined) groups.set(partition, [record]);
      else group.push(record);
    }
    return groups;
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[] | undefined> {
    const known = this.topics.get(topic);
    if (known !== undefined && Date.now() - known.fetchedAt < METADATA_TTL_MS) {
      return known.partitions;
    }
    try {
      const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = metadata.topics.find((entry) => entry.name === topic)?.partitions;
      if (partitions === undefined || partitions.length === 0) return undefined;
      const sorted = [...partitions].sort((a, b) => a.partitionId - b.partitionId);
      this.topics.set(topic, { partitions: sorted, fetchedAt: Date.now() });
      return sorted;
    } catch {
      return known?.partitions;
    }
  }
}
