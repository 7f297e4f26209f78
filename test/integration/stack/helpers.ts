// Shared by the stack's integration tests: isolated ports and env for a stack of one's own, and
// process and port checks.
import { readFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { findFreePort, type StackPorts } from "../../../src/stack/index.js";

/** Five distinct ports free right now. */
export async function freeStackPorts(): Promise<StackPorts> {
  const free = new Set<number>();
  while (free.size < 5) free.add(await findFreePort());
  const [clickhouseHttp, clickhouseTcp, kafka, kafkaController, prometheus] = [...free] as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { clickhouseHttp, clickhouseTcp, kafka, kafkaController, prometheus };
}

/** The env of a stack in `dir` on `ports` (DRIFTWATCH_STACK_DIR and the five port variables). */
export function stackEnvFor(dir: string, ports: StackPorts): NodeJS.ProcessEnv {
  return {
    DRIFTWATCH_STACK_DIR: dir,
    DRIFTWATCH_STACK_CLICKHOUSE_HTTP_PORT: String(ports.clickhouseHttp),
    DRIFTWATCH_STACK_CLICKHOUSE_TCP_PORT: String(ports.clickhouseTcp),
    DRIFTWATCH_STACK_KAFKA_PORT: String(ports.kafka),
    DRIFTWATCH_STACK_KAFKA_CONTROLLER_PORT: String(ports.kafkaController),
    DRIFTWATCH_STACK_PROMETHEUS_PORT: String(ports.prometheus),
  };
}

/** "gone", or the process state letter from /proc (Z: exited, not yet reaped by its parent). */
export function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return "gone";
  }
}

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once("error", () => resolveAccepts(false));
  });
}

/** A plain TCP listener on 127.0.0.1:port (a program that is no server of the stack). */
export function listenPlainTcp(port: number): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer((socket) => socket.on("error", () => undefined));
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolveServer(server));
  });
}
