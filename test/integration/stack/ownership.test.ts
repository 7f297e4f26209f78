// Stack ownership with real servers on isolated directories and free ports: a first stack runs;
// a second stack directory aimed at its ports is refused (naming the first directory) unless it
// adopts them; status names each server's owning directory; the test command's stack moves to
// free ports when the preferred ones belong to another stack directory or program, and stops
// what it started once the last test run using it ends. The shared stack is never touched.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseStackPorts,
  stackDown,
  stackStatus,
  stackUp,
  startTestStack,
  type StackPorts,
  type StackServer,
  type StackUpResult,
  type TestStack,
} from "../../../src/stack/index.js";
import { canonicalPath } from "../../../src/stack/ownership.js";
import { runCli } from "../../support/cli.js";
import {
  freeStackPorts,
  listenPlainTcp,
  portAccepts,
  processState,
  stackEnvFor,
} from "./helpers.js";

function tempStackDir(prefix: string): string {
  // Canonical (symlinks resolved), as the owners read from /proc command lines are.
  return canonicalPath(mkdtempSync(join(tmpdir(), prefix)));
}

describe("stack ownership between two stack directories", () => {
  const dirs: string[] = [];
  let firstDir: string;
  let firstPorts: StackPorts;
  let first: StackUpResult;
  let secondDir: string;
  let testRunDir: string;

  beforeAll(async () => {
    firstDir = tempStackDir("dw-own-first-");
    secondDir = tempStackDir("dw-own-second-");
    testRunDir = tempStackDir("dw-own-testrun-");
    dirs.push(firstDir, secondDir, testRunDir);
    firstPorts = await freeStackPorts();
    first = await stackUp({ dir: firstDir, env: stackEnvFor(firstDir, firstPorts) });
  });

  afterAll(async () => {
    for (const dir of dirs) {
      await stackDown({ dir, env: stackEnvFor(dir, firstPorts) }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a second stack directory aimed at the first one's ports, naming the first directory", async () => {
    const env = stackEnvFor(secondDir, firstPorts);
    const cli = await runCli(["stack", "up"], env);
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stdout).toBe("");
    for (const [title, port] of [
      ["ClickHouse", firstPorts.clickhouseHttp],
      ["Kafka", firstPorts.kafka],
      ["Prometheus", firstPorts.prometheus],
    ] as const) {
      expect(cli.stderr).toContain(
        `${title} on port ${port} belongs to another stack directory, ${firstDir} (pid `,
      );
    }
    expect(cli.stderr).toContain("driftwatch stack up --adopt");
    expect(cli.stderr).toContain(`driftwatch stack down --dir ${firstDir}`);
    expect(cli.stderr).toContain(secondDir);

    await expect(stackUp({ dir: secondDir, env, components: ["kafka"] })).rejects.toThrow(
      `Kafka on port ${firstPorts.kafka} belongs to another stack directory, ${firstDir}`,
    );
    // Nothing was started or written for the second directory's servers.
    expect(readdirSync(secondDir)).toEqual([]);
  });

  it("adopts them with --adopt; status names the owning directory; down leaves them running", async () => {
    const env = stackEnvFor(secondDir, firstPorts);
    const up = await runCli(["stack", "up", "--adopt"], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`export DRIFTWATCH_KAFKA_BROKERS=localhost:${firstPorts.kafka}`);
    expect(up.stderr).toMatch(
      new RegExp(`kafka: .*owned by stack directory ${firstDir} .*adopting it`),
    );
    expect(up.stderr).toMatch(
      new RegExp(
        `kafka: adopted, pid \\d+ on .*owned by ${firstDir} \\(another stack directory\\)`,
      ),
    );

    const pids = new Map(first.components.map((component) => [component.name, component.pid]));
    const servers = async (dir: string): Promise<StackServer[]> => {
      const status = await runCli(["stack", "status", "--json"], stackEnvFor(dir, firstPorts));
      expect(status.code, status.stderr).toBe(0);
      return (JSON.parse(status.stdout) as { servers: StackServer[] }).servers;
    };
    const expected = (owner: string) =>
      (["clickhouse", "kafka", "prometheus"] as const).map((name) =>
        expect.objectContaining({
          name,
          kind: name,
          pid: pids.get(name),
          dir: join(firstDir, name),
          owner_dir: firstDir,
          owner,
          state: "healthy",
        }),
      );
    expect(await servers(secondDir)).toEqual(expected("other-stack"));
    const own = await servers(firstDir);
    expect(own).toEqual(expected("this-stack"));
    expect(own.find((server) => server.name === "kafka")?.ports).toEqual([
      firstPorts.kafka,
      firstPorts.kafkaController,
    ]);

    const table = await runCli(["stack", "status"], env);
    expect(table.stdout).toMatch(
      new RegExp(
        `^kafka\\s+healthy\\s+${firstPorts.kafka},${firstPorts.kafkaController}\\s+\\d+\\s+${firstDir}\\s`,
        "m",
      ),
    );
    expect(table.stdout).toMatch(/another stack directory's/);

    const down = await runCli(["stack", "down"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.trim().split("\n")).toEqual([
      "clickhouse: left running",
      "kafka: left running",
      "prometheus: left running",
    ]);
    expect(down.stderr).toContain(`owned by stack directory ${firstDir}`);
    for (const component of first.components) {
      expect(processState(component.pid!), component.name).toMatch(/^[RSD]$/);
    }
  });

  it("chooses ports for a test run: its own servers' ports, else free preferred ones, else free ones", async () => {
    // The first stack's ports are the first stack's own.
    const own = await chooseStackPorts({ dir: firstDir, env: {}, preferred: firstPorts });
    expect(own).toEqual({ ports: firstPorts, moved: [] });

    // Another stack directory holds them: every component moves, the reason names the owner.
    const moved = await chooseStackPorts({ dir: testRunDir, env: {}, preferred: firstPorts });
    expect(moved.moved.map((move) => move.component)).toEqual([
      "clickhouse",
      "kafka",
      "prometheus",
    ]);
    for (const move of moved.moved) {
      expect(move.reason).toContain(`held by stack directory ${firstDir}`);
    }
    const chosen = Object.values(moved.ports);
    expect(new Set(chosen).size).toBe(5);
    for (const port of Object.values(firstPorts)) expect(chosen).not.toContain(port);

    // Another program holds one port: only its component moves; a port set in env stays.
    const preferred = await freeStackPorts();
    const program = await listenPlainTcp(preferred.kafkaController);
    try {
      const choice = await chooseStackPorts({ dir: testRunDir, env: {}, preferred });
      expect(choice.moved).toEqual([
        expect.objectContaining({
          component: "kafka",
          from: [preferred.kafka, preferred.kafkaController],
          reason: expect.stringContaining(
            `port ${preferred.kafkaController} (Kafka controller) is held by pid ${process.pid}`,
          ),
        }),
      ]);
      expect(choice.ports).toMatchObject({
        clickhouseHttp: preferred.clickhouseHttp,
        prometheus: preferred.prometheus,
      });
      expect(choice.ports.kafka).not.toBe(preferred.kafka);
      const explicit = await chooseStackPorts({
        dir: testRunDir,
        env: { DRIFTWATCH_STACK_KAFKA_CONTROLLER_PORT: String(preferred.kafkaController) },
        preferred,
      });
      expect(explicit).toEqual({ ports: preferred, moved: [] });
    } finally {
      program.close();
    }
  });

  it("the test command's stack moves off another stack directory's ports and stops what it started", async () => {
    const lines: string[] = [];
    const options = {
      dir: testRunDir,
      env: {},
      preferred: firstPorts,
      progress: (line: string) => lines.push(line),
    };
    let run: TestStack | undefined;
    let second: TestStack | undefined;
    try {
      run = await startTestStack(options);
      expect(run.moved.map((move) => move.component)).toEqual([
        "clickhouse",
        "kafka",
        "prometheus",
      ]);
      expect(lines.join("\n")).toContain(`held by stack directory ${firstDir}`);
      expect(run.components.map((component) => component.action)).toEqual([
        "started",
        "started",
        "started",
      ]);
      expect(run.env.DRIFTWATCH_KAFKA_BROKERS).toBe(`localhost:${run.ports.kafka}`);
      const ping = await fetch(`${run.env.DRIFTWATCH_CLICKHOUSE_URL}/ping`);
      expect(await ping.text()).toBe("Ok.\n");

      // Status asked about the preferred ports says where this directory's servers really run.
      const status = await stackStatus({ dir: testRunDir, env: {}, ports: firstPorts });
      const kafka = status.components.find((component) => component.name === "kafka")!;
      expect(kafka).toMatchObject({ managed: true, pid: run.components[1]!.pid });
      expect(kafka.warning).toContain(
        `runs on port(s) ${run.ports.kafka}, ${run.ports.kafkaController}`,
      );
      expect(kafka.warning).toContain(
        `port ${firstPorts.kafka} is held by stack directory ${firstDir}`,
      );

      // A second test run at the same time reuses them; the first one's end leaves them running.
      second = await startTestStack({ ...options, progress: () => undefined });
      expect(second.ports).toEqual(run.ports);
      expect(second.components.map((component) => [component.action, component.pid])).toEqual(
        run.components.map((component) => ["reused", component.pid]),
      );
      expect(await run.release()).toEqual([]);
      run = undefined;
      expect(await portAccepts(second.ports.kafka)).toBe(true);

      // The last run to end stops them; the first stack directory's servers keep running.
      expect(await second.release()).toEqual(["clickhouse", "kafka", "prometheus"]);
      for (const component of second.components) {
        expect(processState(component.pid!), component.name).toMatch(/^(gone|Z)$/);
        expect(await portAccepts(component.ports[0]!.port), component.name).toBe(false);
      }
      second = undefined;
      for (const component of first.components) {
        expect(await portAccepts(component.ports[0]!.port), component.name).toBe(true);
      }
      expect(readdirSync(join(testRunDir, "test-runs"))).toEqual([]);
    } finally {
      await run?.release();
      await second?.release();
    }
  });
});
