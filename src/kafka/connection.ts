// Connection settings for the brokers (addresses, TLS, SASL) and their translation to kafkajs,
// including routing kafkajs' own log lines into driftwatch's structured logger.
import { readFileSync } from "node:fs";
import { logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from "kafkajs";
import type { Logger } from "../util/index.js";

export interface KafkaTlsOptions {
  readonly enabled: boolean;
  /** Paths of PEM files. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized?: boolean;
}

export interface KafkaSaslOptions {
  readonly mechanism: "plain" | "scram-sha-256" | "scram-sha-512";
  readonly username: string;
  readonly password: string;
}

/** What a client needs to reach the brokers (the `kafka` config section satisfies it). */
export interface KafkaConnectionOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: KafkaTlsOptions;
  readonly sasl?: KafkaSaslOptions;
}

function tlsSettings(tls: KafkaTlsOptions | undefined): KafkaConfig["ssl"] {
  if (!tls?.enabled) return undefined;
  const read = (path: string | undefined, what: string): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new Error(`kafka.ssl.${what}: cannot read ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  return {
    ca: read(tls.ca, "ca"),
    cert: read(tls.cert, "cert"),
    key: read(tls.key, "key"),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  };
}

function saslSettings(sasl: KafkaSaslOptions | undefined): SASLOptions | undefined {
  if (sasl === undefined) return undefined;
  const credentials = { username: sasl.username, password: sasl.password };
  switch (sasl.mechanism) {
    case "plain":
      return { mechanism: "plain", ...credentials };
    case "scram-sha-256":
      return { mechanism: "scram-sha-256", ...credentials };
    case "scram-sha-512":
      return { mechanism: "scram-sha-512", ...credentials };
  }
}

/**
 * kafkajs logs through pino. Its ERROR lines are mostly failures it retries by itself (coordinator
 * not yet available, broker restarting), so they become warnings; what driftwatch cannot recover
 * from is logged as an error by driftwatch. Its chatty info lines go to debug.
 */
function logCreatorFor(logger: Logger): KafkaConfig["logCreator"] {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...fields } = log;
      const entry = { kafkajs: fields };
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(entry, message);
      else logger.debug(entry, message);
    };
}

export function kafkajsConfig(options: KafkaConnectionOptions, logger: Logger): KafkaConfig {
  return {
    brokers: [...options.brokers],
    clientId: options.clientId,
    ssl: tlsSettings(options.ssl),
    sasl: saslSettings(options.sasl),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    logLevel: logger.isLevelEnabled("debug") ? logLevel.INFO : logLevel.WARN,
    logCreator: logCreatorFor(logger),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
  };
}
