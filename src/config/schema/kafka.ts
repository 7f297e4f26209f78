// Config section `kafka`: brokers, TLS, SASL, topic names and the consumer group.
import { Type, type Static } from "@sinclair/typebox";
import { PositiveInteger, SECTION, Secret, StringEnum } from "./kit.js";

export const SASL_MECHANISMS = ["plain", "scram-sha-256", "scram-sha-512"] as const;

/** Kafka topic names: letters, digits, `.`, `_`, `-` (Kafka's own rule). */
const TopicName = (defaultName: string) =>
  Type.String({
    pattern: "^[A-Za-z0-9._-]{1,249}$",
    patternHint: "must be a Kafka topic name (1-249 letters, digits, ., _, -)",
    default: defaultName,
  });

export const KafkaSslSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: "connect to the brokers over TLS" }),
    ca: Type.Optional(Type.String({ minLength: 1, description: "CA certificate file (PEM)" })),
    cert: Type.Optional(
      Type.String({ minLength: 1, description: "client certificate file (PEM)" }),
    ),
    key: Type.Optional(Type.String({ minLength: 1, description: "client private key file (PEM)" })),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description: "refuse brokers whose certificate does not verify",
    }),
  },
  SECTION,
);

export const KafkaSaslSchema = Type.Object(
  {
    mechanism: StringEnum(SASL_MECHANISMS, { default: "plain" }),
    username: Type.String({ minLength: 1 }),
    password: Secret(),
  },
  { additionalProperties: false },
);

export const KafkaTopicsSchema = Type.Object(
  {
    predictions: TopicName("driftwatch.predictions"),
    labels: TopicName("driftwatch.labels"),
    dlq: TopicName("driftwatch.dlq"),
    control: TopicName("driftwatch.control"),
  },
  SECTION,
);

export const KafkaSchema = Type.Object(
  {
    brokers: Type.Array(
      Type.String({ pattern: "^\\S+:[0-9]{1,5}$", patternHint: "must be host:port" }),
      {
        minItems: 1,
        default: ["localhost:9092"],
        description: "host:port of one or more brokers",
      },
    ),
    clientId: Type.String({ minLength: 1, default: "driftwatch" }),
    ssl: KafkaSslSchema,
    sasl: Type.Optional(KafkaSaslSchema),
    topics: KafkaTopicsSchema,
    groupId: Type.String({ minLength: 1, default: "driftwatch-ingest" }),
    topicPartitions: PositiveInteger(3, {
      description: "partitions of the data topics driftwatch creates (the control topic has 1)",
    }),
    replicationFactor: PositiveInteger(1, {
      description: "replication factor of the topics driftwatch creates",
    }),
  },
  SECTION,
);

export type KafkaConfig = Static<typeof KafkaSchema>;
