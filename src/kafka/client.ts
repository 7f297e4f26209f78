// Creates the kafkajs-backed KafkaClient for a set of brokers; one per process.
import { Kafka } from "kafkajs";
import type { Logger } from "../util/index.js";
import { kafkajsConfig, type KafkaConnectionOptions } from "./connection.js";
import { KafkajsAdmin } from "./kafkajs-admin.js";
import { KafkajsConsumerGroup } from "./kafkajs-consumer.js";
import { KafkajsProducer } from "./kafkajs-producer.js";
import type { Admin, ConsumerGroup, ConsumerGroupOptions, KafkaClient, Producer } from "./types.js";

export function createKafkaClient(options: KafkaConnectionOptions, logger: Logger): KafkaClient {
  const kafka = new Kafka(kafkajsConfig(options, logger.child({ component: "kafkajs" })));
  return {
    consumerGroup: (groupOptions: ConsumerGroupOptions): ConsumerGroup =>
      new KafkajsConsumerGroup(kafka, groupOptions),
    producer: (): Producer => new KafkajsProducer(kafka),
    admin: (): Admin => new KafkajsAdmin(kafka),
  };
}
