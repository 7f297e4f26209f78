// The stack's ports: defaults (ClickHouse 8123/9000, Kafka 9092/9093, Prometheus 9090), env
// overrides (DRIFTWATCH_STACK_*_PORT) so a second isolated stack can run beside the first.
export interface StackPorts {
  readonly clickhouseHttp: number;
  readonly clickhouseTcp: number;
  readonly kafka: number;
  readonly kafkaController: number;
  readonly prometheus: number;
}

export const DEFAULT_PORTS: StackPorts = {
  clickhouseHttp: 8123,
  clickhouseTcp: 9000,
  kafka: 9092,
  kafkaController: 9093,
  prometheus: 9090,
};

/** The env variable that overrides each port. */
export const PORT_ENV_VARS: Readonly<Record<keyof StackPorts, string>> = {
  clickhouseHttp: "DRIFTWATCH_STACK_CLICKHOUSE_HTTP_PORT",
  clickhouseTcp: "DRIFTWATCH_STACK_CLICKHOUSE_TCP_PORT",
  kafka: "DRIFTWATCH_STACK_KAFKA_PORT",
  kafkaController: "DRIFTWATCH_STACK_KAFKA_CONTROLLER_PORT",
  prometheus: "DRIFTWATCH_STACK_PROMETHEUS_PORT",
};

/** A port setting that is not usable (not a port, or shared by two components). */
export class InvalidPortError extends Error {
  override readonly name = "InvalidPortError";
}

/** Parse a port number, naming where it came from when it is not one. */
export function parsePort(text: string, source: string): number {
  const trimmed = text.trim();
  const port = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidPortError(
      `${source}: ${JSON.stringify(text)} is not a TCP port (an integer 1–65535)`,
    );
  }
  return port;
}

/** The ports set explicitly through DRIFTWATCH_STACK_*_PORT in this environment. */
export function explicitPorts(env: NodeJS.ProcessEnv = process.env): Set<keyof StackPorts> {
  return new Set(
    (Object.keys(PORT_ENV_VARS) as (keyof StackPorts)[]).filter(
      (key) => (env[PORT_ENV_VARS[key]] ?? "").trim() !== "",
    ),
  );
}

/**
 * Ports from `base` (the defaults), then env, then explicit overrides; all must be distinct.
 */
export function resolvePorts(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<StackPorts> = {},
  base: StackPorts = DEFAULT_PORTS,
): StackPorts {
  const ports = { ...base };
  for (const key of Object.keys(PORT_ENV_VARS) as (keyof StackPorts)[]) {
    const text = env[PORT_ENV_VARS[key]];
    if (text !== undefined && text.trim() !== "") ports[key] = parsePort(text, PORT_ENV_VARS[key]);
    const override = overrides[key];
    if (override !== undefined) ports[key] = parsePort(String(override), `ports.${key}`);
  }
  const seen = new Map<number, keyof StackPorts>();
  for (const key of Object.keys(ports) as (keyof StackPorts)[]) {
    const other = seen.get(ports[key]);
    if (other !== undefined) {
      throw new InvalidPortError(
        `stack ports ${other} and ${key} are both ${ports[key]}: each needs its own`,
      );
    }
    seen.set(ports[key], key);
  }
  return ports;
}
