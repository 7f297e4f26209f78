// docker-compose.cluster.yml cannot be run here (no Docker) either: like docker-compose.yml it is
// validated against the Compose specification and checked for agreement between its services,
// the code (DRIFTWATCH_* variables, the config loader) and the files it mounts — the ClickHouse
// cluster definition, the Keeper ensemble, the driftwatch config and Prometheus' scrape targets.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assertServerStartable } from "../../../src/api/listener.js";
import { parseConfig } from "../../../src/config/index.js";
import {
  REPO_ROOT,
  composeDocument,
  composeFile,
  portMappings,
  readRepoFile,
  serviceEnvironment,
  volumeMounts,
  type ComposeService,
} from "./compose-file.js";
import { composeSpecValidator, variablesTheCodeReads } from "./compose-checks.js";

const run = promisify(execFile);
const FILE = "docker-compose.cluster.yml";
const compose = composeFile(FILE);
const services = compose.services;
const names = Object.keys(services);

function service(name: string): ComposeService {
  const found = services[name];
  if (found === undefined) throw new Error(`${FILE} has no service ${name}`);
  return found;
}

const kafkas = names.filter((name) => /^kafka-\d+$/.test(name));
const keepers = names.filter((name) => /^keeper-\d+$/.test(name));
const clickhouses = names.filter((name) => /^clickhouse-s\d+r\d+$/.test(name));
const instances = names.filter((name) => /^driftwatch-\d+$/.test(name));

/** The file bind-mounted at `target` in a service (its repository path). */
function mountedFile(name: string, target: string): string {
  const mount = volumeMounts(service(name)).find((entry) => entry.target === target);
  if (mount === undefined) throw new Error(`${name} mounts nothing at ${target}`);
  return mount.source;
}

/** Texts of every <tag>…</tag> in the XML text (driftwatch's own files: no nesting of `tag`). */
function elements(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]!);
}

function element(xml: string, tag: string): string {
  const found = elements(xml, tag)[0];
  if (found === undefined) throw new Error(`no <${tag}>`);
  return found.trim();
}

const clusterXml = readRepoFile(
  mountedFile("clickhouse-s1r1", "/etc/clickhouse-server/config.d/cluster.xml").slice(2),
);
const keeperXml = readRepoFile(
  mountedFile("keeper-1", "/etc/clickhouse-keeper/keeper_config.xml").slice(2),
);
const driftwatchEnv = serviceEnvironment(service("driftwatch-1"));

describe("docker-compose.cluster.yml", () => {
  it("validates against the Compose specification's JSON schema", () => {
    const { validate, ajv } = composeSpecValidator();
    const valid = validate(composeDocument(FILE));
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it("has 3 Kafka brokers, 3 Keepers, 2×2 ClickHouse, a one-off migrate, 3 instances, Prometheus, Grafana, Mailpit", () => {
    expect(kafkas).toEqual(["kafka-1", "kafka-2", "kafka-3"]);
    expect(keepers).toEqual(["keeper-1", "keeper-2", "keeper-3"]);
    expect(clickhouses).toEqual([
      "clickhouse-s1r1",
      "clickhouse-s1r2",
      "clickhouse-s2r1",
      "clickhouse-s2r2",
    ]);
    expect(instances).toEqual(["driftwatch-1", "driftwatch-2", "driftwatch-3"]);
    for (const other of ["migrate", "prometheus", "grafana", "mailpit"]) {
      expect(names).toContain(other);
    }
  });

  it("pins every image to a version (no latest); Kafka is apache/kafka 4.x", () => {
    for (const [name, definition] of Object.entries(services)) {
      if (definition.build !== undefined) continue;
      expect(definition.image, name).toMatch(/^[\w./-]+:v?\d+(\.\d+)+$/);
    }
    for (const name of kafkas) expect(service(name).image).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
    for (const name of [...clickhouses, ...keepers]) {
      expect(service(name).image).toMatch(/^clickhouse\/clickhouse-server:/);
    }
  });

  it("runs the brokers as one KRaft quorum with replication factor 3 and min.insync.replicas 2", () => {
    const envs = kafkas.map((name) => serviceEnvironment(service(name)));
    const clusterIds = new Set(envs.map((env) => env.CLUSTER_ID));
    expect(clusterIds.size).toBe(1);
    expect(Buffer.from([...clusterIds][0] ?? "", "base64url")).toHaveLength(16);
    const voters = envs[0]!.KAFKA_CONTROLLER_QUORUM_VOTERS!.split(",");
    expect(voters).toEqual(kafkas.map((name, i) => `${i + 1}@${name}:9093`));
    envs.forEach((env, i) => {
      const name = kafkas[i]!;
      expect(env.KAFKA_NODE_ID, name).toBe(String(i + 1));
      expect(env.KAFKA_PROCESS_ROLES, name).toBe("broker,controller");
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS, name).toBe(voters.join(","));
      expect(env.KAFKA_LISTENERS, name).toContain("CONTROLLER://:9093");
      expect(env.KAFKA_ADVERTISED_LISTENERS, name).toContain(`PLAINTEXT://${name}:9092`);
      expect(env.KAFKA_DEFAULT_REPLICATION_FACTOR, name).toBe("3");
      expect(env.KAFKA_MIN_INSYNC_REPLICAS, name).toBe("2");
      expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, name).toBe("3");
      expect(
        Object.keys(env).some((key) => key.includes("ZOOKEEPER")),
        name,
      ).toBe(false);
      // The EXTERNAL listener for host clients is published on the port it advertises.
      const external = /EXTERNAL:\/\/localhost:(\d+)/.exec(env.KAFKA_ADVERTISED_LISTENERS ?? "");
      expect(portMappings(service(name))).toContainEqual({
        host: Number(external?.[1]),
        container: Number(external?.[1]),
      });
    });
  });

  it("defines the ClickHouse cluster `driftwatch` with exactly the compose servers, by shard", () => {
    const remote = element(element(clusterXml, "remote_servers"), "driftwatch");
    const shards = elements(remote, "shard").map((shard) =>
      elements(shard, "replica").map((replica) => element(replica, "host")),
    );
    expect(shards).toEqual([
      ["clickhouse-s1r1", "clickhouse-s1r2"],
      ["clickhouse-s2r1", "clickhouse-s2r2"],
    ]);
    for (const shard of elements(remote, "shard")) {
      expect(element(shard, "internal_replication")).toBe("true");
    }
    shards.forEach((hosts, index) => {
      for (const host of hosts) {
        const env = serviceEnvironment(service(host));
        expect(service(host).hostname, host).toBe(host);
        expect(env.CLICKHOUSE_SHARD, host).toBe(String(index + 1));
        expect(env.CLICKHOUSE_REPLICA, host).toBe(host);
        expect(mountedFile(host, "/etc/clickhouse-server/config.d/cluster.xml")).toBe(
          "./deploy/cluster/clickhouse/cluster.xml",
        );
      }
    });
  });

  it("sets every variable the mounted ClickHouse and Keeper configs read (from_env)", () => {
    for (const name of [...clickhouses, ...keepers]) {
      const env = serviceEnvironment(service(name));
      for (const mount of volumeMounts(service(name)).filter((entry) => entry.bind)) {
        const text = readRepoFile(mount.source.slice(2));
        for (const match of text.matchAll(/from_env="([A-Z0-9_]+)"/g)) {
          expect(env[match[1]!], `${name}: ${match[1]} (${mount.source})`).toBeTruthy();
        }
      }
    }
  });

  it("points ClickHouse at the Keeper ensemble, and the ensemble at its own nodes", () => {
    const port = element(element(keeperXml, "keeper_server"), "tcp_port");
    const nodes = elements(element(clusterXml, "zookeeper"), "node").map(
      (node) => `${element(node, "host")}:${element(node, "port")}`,
    );
    expect(nodes).toEqual(keepers.map((name) => `${name}:${port}`));
    const raft = elements(element(keeperXml, "raft_configuration"), "server").map((server) => ({
      id: element(server, "id"),
      host: element(server, "hostname"),
    }));
    expect(raft).toEqual(
      keepers.map((name) => ({
        id: serviceEnvironment(service(name)).KEEPER_SERVER_ID,
        host: service(name).hostname,
      })),
    );
    const readyPort = element(element(keeperXml, "http_control"), "port");
    for (const name of keepers) {
      expect(JSON.stringify(service(name).healthcheck?.test)).toContain(
        `localhost:${readyPort}/ready`,
      );
    }
  });

  it("gives every long-running service a healthcheck and waits on healthy dependencies", () => {
    for (const [name, definition] of Object.entries(services)) {
      if (name !== "migrate") {
        expect(definition.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      }
      for (const [dependency, { condition }] of Object.entries(definition.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === "service_healthy") {
          expect(
            services[dependency]?.healthcheck,
            `${dependency} has a healthcheck`,
          ).toBeDefined();
        }
      }
    }
    expect(service("migrate").restart).toBe("no");
    expect(service("migrate").command).toEqual(["migrate"]);
    for (const name of clickhouses) {
      expect(Object.keys(service("migrate").depends_on ?? {})).toContain(name);
      for (const keeper of keepers) {
        expect(service(name).depends_on?.[keeper]?.condition, `${name} → ${keeper}`).toBe(
          "service_healthy",
        );
      }
    }
    for (const name of instances) {
      const dependencies = service(name).depends_on ?? {};
      expect(dependencies.migrate?.condition, name).toBe("service_completed_successfully");
      for (const dependency of [...kafkas, ...clickhouses]) {
        expect(dependencies[dependency]?.condition, `${name} → ${dependency}`).toBe(
          "service_healthy",
        );
      }
      expect(service(name).command).toEqual(["serve", "--role", "all"]);
      expect(service(name).build?.context).toBe(".");
    }
  });

  it("keeps state in declared named volumes (one per server) and bind-mounts only repository files, read-only", () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const used = new Set<string>();
    for (const [name, definition] of Object.entries(services)) {
      for (const mount of volumeMounts(definition)) {
        if (mount.bind) {
          expect(mount.source.startsWith("./"), `${name}: ${mount.source}`).toBe(true);
          expect(existsSync(join(REPO_ROOT, mount.source)), `${name}: ${mount.source}`).toBe(true);
          expect(mount.readOnly, `${name}: ${mount.source} read-only`).toBe(true);
        } else {
          expect(declared.has(mount.source), `${name}: volume ${mount.source}`).toBe(true);
          expect(used.has(mount.source), `${name}: volume ${mount.source} not shared`).toBe(false);
          used.add(mount.source);
        }
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
    for (const stateful of [...kafkas, ...keepers, ...clickhouses, "prometheus", "grafana"]) {
      expect(
        volumeMounts(service(stateful)).some((mount) => !mount.bind),
        stateful,
      ).toBe(true);
    }
  });

  it("publishes distinct host ports, driftwatch's on the loopback only", () => {
    const hostPorts = Object.values(services).flatMap((definition) =>
      portMappings(definition).map((mapping) => mapping.host),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const name of instances) {
      const [mapping] = portMappings(service(name));
      expect(mapping?.address, name).toBe("127.0.0.1");
      expect(mapping?.container, name).toBe(
        Number(serviceEnvironment(service(name)).DRIFTWATCH_PORT),
      );
    }
  });
});

describe("docker-compose.cluster.yml's driftwatch agrees with the cluster and the code", () => {
  const known = variablesTheCodeReads();

  it("sets only DRIFTWATCH_* variables the code reads, the cluster's name among them", () => {
    for (const name of [...instances, "migrate"]) {
      const env = serviceEnvironment(service(name));
      for (const variable of Object.keys(env).filter((key) => key.startsWith("DRIFTWATCH_"))) {
        expect(known.has(variable), `${name}: ${variable} is read by driftwatch`).toBe(true);
      }
      expect(env.DRIFTWATCH_CLICKHOUSE_CLUSTER, name).toBe("driftwatch");
      expect(clusterXml).toContain(`<${env.DRIFTWATCH_CLICKHOUSE_CLUSTER}>`);
      // All brokers, by their in-network listeners.
      expect(env.DRIFTWATCH_KAFKA_BROKERS?.split(","), name).toEqual(
        kafkas.map((broker) => `${broker}:9092`),
      );
      const url = new URL(env.DRIFTWATCH_CLICKHOUSE_URL ?? "");
      expect(clickhouses, name).toContain(url.hostname);
      expect(portMappings(service(url.hostname)).map((m) => m.container)).toContain(
        Number(url.port),
      );
      expect(env.DRIFTWATCH_CLICKHOUSE_PASSWORD).toBe(
        serviceEnvironment(service(url.hostname)).CLICKHOUSE_PASSWORD,
      );
      expect(env.DRIFTWATCH_CLICKHOUSE_DATABASE).toBe(
        serviceEnvironment(service(url.hostname)).CLICKHOUSE_DB,
      );
    }
    // The instances spread over more than one ClickHouse server.
    const servers = new Set(
      instances.map(
        (name) => new URL(serviceEnvironment(service(name)).DRIFTWATCH_CLICKHOUSE_URL!).hostname,
      ),
    );
    expect(servers.size).toBeGreaterThan(1);
  });

  it("mounts a config the real loader accepts: replicated topics, enough partitions, the cluster", () => {
    const source = mountedFile("driftwatch-1", driftwatchEnv.DRIFTWATCH_CONFIG!);
    for (const name of [...instances, "migrate"]) {
      expect(mountedFile(name, serviceEnvironment(service(name)).DRIFTWATCH_CONFIG!)).toBe(source);
    }
    const config = parseConfig(readRepoFile(source.slice(2)), { env: driftwatchEnv, file: source });
    const brokerEnv = serviceEnvironment(service("kafka-1"));
    expect(config.kafka.brokers).toHaveLength(kafkas.length);
    expect(config.kafka.replicationFactor).toBe(Number(brokerEnv.KAFKA_DEFAULT_REPLICATION_FACTOR));
    expect(config.kafka.replicationFactor).toBeLessThanOrEqual(kafkas.length);
    expect(Number(brokerEnv.KAFKA_MIN_INSYNC_REPLICAS)).toBeLessThan(
      config.kafka.replicationFactor,
    );
    expect(config.kafka.topicPartitions).toBeGreaterThanOrEqual(instances.length);
    expect(config.clickhouse.cluster).toBe("driftwatch");
    expect(() => assertServerStartable(config, true)).not.toThrow();
    expect(config.alerts.smtp?.host).toBe("mailpit");
  });

  it("scrapes every instance with Prometheus, whose config promtool accepts", async () => {
    const path = mountedFile("prometheus", "/etc/prometheus/prometheus.yml");
    const prometheus = parse(readRepoFile(path.slice(2))) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((config) => config.job_name === "driftwatch");
    expect(job?.static_configs[0]?.targets).toEqual(
      instances.map((name) => `${name}:${serviceEnvironment(service(name)).DRIFTWATCH_PORT}`),
    );
    // promtool reads the rule files beside the config, as they are mounted in the container.
    const dir = mkdtempSync(join(tmpdir(), "dw-prometheus-"));
    try {
      copyFileSync(join(REPO_ROOT, path), join(dir, "prometheus.yml"));
      for (const rules of prometheus.rule_files) {
        copyFileSync(
          join(REPO_ROOT, mountedFile("prometheus", `/etc/prometheus/${rules}`)),
          join(dir, rules),
        );
      }
      const result = await run("promtool", ["check", "config", join(dir, "prometheus.yml")]);
      expect(result.stdout).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("points Grafana's ClickHouse datasource at a server of the cluster", () => {
    const grafanaEnv = serviceEnvironment(service("grafana"));
    expect(clickhouses).toContain(grafanaEnv.CLICKHOUSE_HOST);
    expect(service("grafana").depends_on?.[grafanaEnv.CLICKHOUSE_HOST!]?.condition).toBe(
      "service_healthy",
    );
  });
});
