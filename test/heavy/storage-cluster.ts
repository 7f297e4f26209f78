// A ClickHouse cluster of the cluster-storage test's own: Debian's ZooKeeper and four ClickHouse
// 18.16 servers (cluster `driftwatch`, 2 shards × 2 replicas, internal replication) on free
// ports in a temp directory; servers can be stopped and started again (data kept). Minimal on
// purpose: a stand-in until the shared test helper for `stack up --cluster` exists.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "../../src/stack/index.js";
import { createHttpEngine, sql } from "../../src/store/index.js";

export const CLUSTER = "driftwatch";

export interface StorageClusterServer {
  readonly shard: number;
  readonly replica: number;
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface StorageCluster {
  /** Shard 1 replica 1, shard 1 replica 2, shard 2 replica 1, shard 2 replica 2. */
  readonly servers: readonly StorageClusterServer[];
  destroy(): Promise<void>;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function exited(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once("exit", resolve));
}

function clickhouseConfig(
  dir: string,
  ports: { http: number; tcp: number; interserver: number },
  place: { shard: number; replica: number },
  zookeeperPort: number,
  shards: readonly (readonly number[])[],
): string {
  const remote = shards
    .map(
      (replicas) =>
        `<shard><internal_replication>true</internal_replication>${replicas
          .map((port) => `<replica><host>127.0.0.1</host><port>${port}</port></replica>`)
          .join("")}</shard>`,
    )
    .join("");
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <zookeeper><node><host>127.0.0.1</host><port>${zookeeperPort}</port></node></zookeeper>
  <macros><shard>${place.shard}</shard><replica>r${place.replica}</replica></macros>
  <remote_servers><${CLUSTER}>${remote}</${CLUSTER}></remote_servers>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

export async function startStorageCluster(): Promise<StorageCluster> {
  const root = mkdtempSync(join(tmpdir(), "dw-storage-cluster-"));
  const children = new Set<ChildProcess>();
  const zookeeperPort = await findFreePort();
  const zkDir = join(root, "zookeeper");
  mkdirSync(join(zkDir, "data"), { recursive: true });
  writeFileSync(
    join(zkDir, "zoo.cfg"),
    `tickTime=2000\ndataDir=${zkDir}/data\nclientPort=${zookeeperPort}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\nmaxClientCnxns=200\n`,
  );
  const zookeeper = spawn(
    "java",
    [
      "-Xmx256m",
      `-Dzookeeper.log.dir=${zkDir}`,
      "-cp",
      "/usr/share/java/*:/usr/share/zookeeper/*",
      "org.apache.zookeeper.server.quorum.QuorumPeerMain",
      join(zkDir, "zoo.cfg"),
    ],
    { stdio: "ignore" },
  );
  children.add(zookeeper);

  const places = [1, 2].flatMap((shard) => [1, 2].map((replica) => ({ shard, replica })));
  const ports: { http: number; tcp: number; interserver: number }[] = [];
  for (let i = 0; i < places.length; i++) {
    ports.push({
      http: await findFreePort(),
      tcp: await findFreePort(),
      interserver: await findFreePort(),
    });
  }
  const shards = [1, 2].map((shard) =>
    places.flatMap((place, i) => (place.shard === shard ? [ports[i]!.tcp] : [])),
  );
  const servers = places.map((place, i): StorageClusterServer => {
    const dir = join(root, `clickhouse-${place.shard}-${place.replica}`);
    for (const sub of ["data", "tmp", "user_files", "format_schemas"]) {
      mkdirSync(join(dir, sub), { recursive: true });
    }
    writeFileSync(join(dir, "users.xml"), USERS);
    writeFileSync(
      join(dir, "config.xml"),
      clickhouseConfig(dir, ports[i]!, place, zookeeperPort, shards),
    );
    const url = `http://127.0.0.1:${ports[i]!.http}`;
    let child: ChildProcess | undefined;
    return {
      ...place,
      url,
      async start() {
        if (child !== undefined && child.exitCode === null && child.signalCode === null) return;
        child = spawn("clickhouse-server", [`--config-file=${join(dir, "config.xml")}`], {
          cwd: dir,
          stdio: "ignore",
        });
        children.add(child);
        const engine = createHttpEngine({ url, requestTimeoutMs: 5_000 });
        try {
          await until(`ClickHouse ${url}`, async () => {
            await engine.query(sql`SELECT count() AS n FROM system.zookeeper WHERE path = '/'`);
            return true;
          });
        } finally {
          await engine.close();
        }
      },
      async stop() {
        child?.kill("SIGTERM");
        await exited(child);
      },
    };
  });
  try {
    await Promise.all(servers.map((server) => server.start()));
  } catch (error) {
    for (const child of children) child.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    servers,
    async destroy() {
      await Promise.all(servers.map((server) => server.stop()));
      zookeeper.kill("SIGTERM");
      await exited(zookeeper);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
