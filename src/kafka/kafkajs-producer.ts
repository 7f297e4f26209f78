// Producer on kafkajs: every send waits for all in-sync replicas (acks=all) and keeps bytes as given.
import { Partitioners, type Kafka, type Producer as KafkajsProducerClient } from "kafkajs";
import { KafkaRecordsRejectedError, recordRejectionType } from "./errors.js";
import type { OutgoingRecord, Producer } from "./types.js";

export class KafkajsProducer implements Producer {
  private readonly producer: KafkajsProducerClient;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      // The Java client's partitioner: the same key lands on the same partition as with other clients.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.producer.send({
        topic,
        acks: -1,
        messages: records.map((record) => ({
          key: record.key ?? null,
          value: record.value,
          headers: record.headers === undefined ? undefined : { ...record.headers },
          partition: record.partition,
        })),
      });
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
    await this.producer.disconnect();
  }
}
