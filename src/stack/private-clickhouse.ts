/**
 * A private ClickHouse server for tests that must stop, kill or restart ClickHouse (fault tests)
 * without touching the shared one. Same Debian clickhouse-server (18.16) as the stack, its own
 * directory (data survives stop/start) and its own loopback ports.
 *
 *   import { startPrivateClickHouse } from "../../src/stack/index.js";
 *   const clickhouse = await startPrivateClickHouse();   // temp dir, free ports, started
 *   clickhouse.url;                                       // "http://localhost:<httpPort>"
 *   await clickhouse.stop();    // SIGTERM and wait for exit (port refuses connections)
 *   await clickhouse.kill();    // SIGKILL, no graceful shutdown
 *   await clickhouse.start();   // same dir and ports, data kept; resolves when /ping answers
 *   await clickhouse.destroy(); // stop, and delete the directory if this helper created it
 *
 * Options: { dir, httpPort, tcpPort, timeoutMs, started: false to only prepare }.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installMissing } from "./apt.js";
import {
  clickhousePid,
  clickhouseServerBinary,
  startClickHouseServer,
  stopClickHouseServer,
} from "./clickhouse-server.js";
import { findFreePort } from "./probes.js";
import { killProcess } from "./processes.js";

export interface PrivateClickHouseOptions {
  /** Directory for config, data and logs; default a new temp dir (deleted by destroy()). */
  readonly dir?: string;
  /** HTTP port; default a free one. */
  readonly httpPort?: number;
  /** Native TCP port; default a free one. */
  readonly tcpPort?: number;
  /** How long start() waits for /ping (default 60 s). */
  readonly timeoutMs?: number;
  /** Start right away (default true). */
  readonly started?: boolean;
}

export interface PrivateClickHouse {
  /** `http://localhost:<httpPort>`, for DRIFTWATCH_CLICKHOUSE_URL / @clickhouse/client. */
  readonly url: string;
  readonly httpPort: number;
  readonly tcpPort: number;
  readonly dir: string;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  /** Start (no-op when running); resolves once GET /ping answers "Ok.". */
  start(): Promise<void>;
  /** Graceful stop: SIGTERM, SIGKILL after 20 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Abrupt stop: SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** stop(), then delete the directory when this helper created it. */
  destroy(): Promise<void>;
}

export async function startPrivateClickHouse(
  options: PrivateClickHouseOptions = {},
): Promise<PrivateClickHouse> {
  if (clickhouseServerBinary() === undefined) {
    await installMissing(
      [
        {
          program: "clickhouse-server",
          packages: ["clickhouse-server", "clickhouse-client"],
          present: false,
        },
      ],
      (message) => process.stderr.write(`private clickhouse: ${message}\n`),
    );
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "dw-private-ch-"));
  const httpPort = options.httpPort ?? (await findFreePort());
  let tcpPort = options.tcpPort ?? (await findFreePort());
  while (tcpPort === httpPort) tcpPort = await findFreePort();
  const layout = { dir, httpPort, tcpPort, listenHost: "127.0.0.1" };

  const handle: PrivateClickHouse = {
    url: `http://localhost:${httpPort}`,
    httpPort,
    tcpPort,
    dir,
    pid: () => clickhousePid(dir),
    async start() {
      if (clickhousePid(dir) !== undefined) return;
      await startClickHouseServer({ ...layout, timeoutMs: options.timeoutMs });
    },
    async stop() {
      await stopClickHouseServer(dir);
    },
    async kill() {
      const pid = clickhousePid(dir);
      if (pid !== undefined) await killProcess(pid);
      await stopClickHouseServer(dir);
    },
    async destroy() {
      await stopClickHouseServer(dir);
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.started !== false) await handle.start();
  return handle;
}
