// The Dockerfile docker-compose.yml builds: multi-stage, a non-root runtime user, every copied
// path present in the repo and not excluded by .dockerignore, the compiled CLI as entrypoint with
// `serve --role all`, and the port the compose file publishes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  REPO_ROOT,
  composeFile,
  readRepoFile,
  serviceEnvironment,
  type ComposeService,
} from "./compose-file.js";

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

/** Dockerfile instructions (continuation lines joined, comments dropped) with their stage index. */
function instructions(): Instruction[] {
  const text = readRepoFile("Dockerfile").replace(/\\\n/g, " ");
  const result: Instruction[] = [];
  let stage = -1;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const [keyword = "", ...rest] = trimmed.split(/\s+/);
    if (keyword.toUpperCase() === "FROM") stage++;
    result.push({ keyword: keyword.toUpperCase(), args: rest.join(" "), stage });
  }
  return result;
}

function dockerignorePatterns(): string[] {
  return readRepoFile(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

const all = instructions();
const stages = all.filter((instruction) => instruction.keyword === "FROM");
const finalStage = stages.length - 1;
const driftwatch = composeFile().services.driftwatch as ComposeService;

describe("Dockerfile", () => {
  it("is multi-stage, on pinned Node 20+ images, copying only from earlier stages", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = stages.map((stage) => /\bAS\s+(\S+)/i.exec(stage.args)?.[1]);
    for (const stage of stages) {
      const image = stage.args.split(/\s+/)[0] ?? "";
      const major = /^node:(\d+)/.exec(image)?.[1];
      expect(Number(major), image).toBeGreaterThanOrEqual(20);
    }
    for (const copy of all.filter((instruction) => instruction.keyword === "COPY")) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      if (from === undefined) continue;
      const index = names.indexOf(from);
      expect(index, `COPY --from=${from}`).toBeGreaterThanOrEqual(0);
      expect(index, `COPY --from=${from} is an earlier stage`).toBeLessThan(copy.stage);
    }
  });

  it("runs the final stage as a non-root user", () => {
    const users = all.filter(
      (instruction) => instruction.keyword === "USER" && instruction.stage === finalStage,
    );
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.args).not.toMatch(/^(root|0)(:|$)/);
  });

  it("copies only paths that exist and that .dockerignore lets into the build context", () => {
    const ignored = dockerignorePatterns();
    for (const copy of all.filter((instruction) => instruction.keyword === "COPY")) {
      if (copy.args.includes("--from=")) continue;
      const parts = copy.args.split(/\s+/).filter((part) => !part.startsWith("--"));
      for (const source of parts.slice(0, -1)) {
        expect(existsSync(join(REPO_ROOT, source)), `COPY ${source}`).toBe(true);
        const top = source.replace(/^\.\//, "").split("/")[0];
        expect(ignored, `COPY ${source} is not in .dockerignore`).not.toContain(top);
      }
    }
    // Local state never enters the image.
    for (const path of ["node_modules", ".stack", "dist", ".git"]) {
      expect(ignored).toContain(path);
    }
  });

  it("starts the compiled CLI with serve --role all, as docker-compose.yml does", () => {
    const entrypoint = all.find((instruction) => instruction.keyword === "ENTRYPOINT");
    const command = all.filter((instruction) => instruction.keyword === "CMD").at(-1);
    const entry = JSON.parse(entrypoint?.args ?? "[]") as string[];
    expect(entry[0]).toBe("node");
    // dist/src/cli/main.js is what `npm run build` makes of src/cli/main.ts.
    expect(entry[1]).toBe("dist/src/cli/main.js");
    expect(existsSync(join(REPO_ROOT, "src/cli/main.ts"))).toBe(true);
    expect(JSON.parse(command?.args ?? "[]")).toEqual(["serve", "--role", "all"]);
    expect(driftwatch.command).toEqual(JSON.parse(command?.args ?? "[]"));
    const buildStage = all.filter((instruction) => instruction.stage < finalStage);
    expect(buildStage.some((instruction) => instruction.args.includes("npm run build"))).toBe(true);
    expect(buildStage.some((instruction) => instruction.args.includes("--omit=dev"))).toBe(true);
  });

  it("exposes and health-checks the port docker-compose.yml publishes", () => {
    const port = serviceEnvironment(driftwatch).DRIFTWATCH_PORT;
    const expose = all.find(
      (instruction) => instruction.keyword === "EXPOSE" && instruction.stage === finalStage,
    );
    expect(expose?.args).toBe(port);
    const health = all.find((instruction) => instruction.keyword === "HEALTHCHECK");
    expect(health?.args).toContain("/healthz");
  });
});
