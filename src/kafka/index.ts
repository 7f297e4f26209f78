// Public surface of the Kafka layer: the narrow interface and the one factory that implements it.
export { createKafkaClient } from "./client.js";
export { KafkaRecordsRejectedError } from "./errors.js";
export type { KafkaConnectionOptions, KafkaSaslOptions, KafkaTlsOptions } from "./connection.js";
export type {
  Admin,
  AssignmentListener,
  BatchContext,
  BatchHandler,
  ConsumerGroup,
  ConsumerGroupOptions,
  HeaderValue,
  KafkaClient,
  KafkaRecord,
  OutgoingRecord,
  PartitionWatermarks,
  Producer,
  RecordBatch,
  TopicPartition,
  TopicPartitionOffset,
  TopicSpec,
} from "./types.js";
