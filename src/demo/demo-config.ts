// The demo's configuration: examples/demo/driftwatch.yaml with the run's ports filled in, written
// next to the demo's other files, plus the environment (secrets, sink URLs) the service needs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { loadConfig, type DriftwatchConfig } from "../config/index.js";

/** The project directory: the nearest parent holding driftwatch's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const name = (JSON.parse(readFileSync(candidate, "utf8")) as { name?: string }).name;
      if (name === "driftwatch") return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find driftwatch's package.json above the demo");
    dir = parent;
  }
}

/** The template shipped in the repository. */
export function demoConfigTemplate(): string {
  return join(packageRoot(), "examples", "demo", "driftwatch.yaml");
}

export interface DemoSecrets {
  readonly writeToken: string;
  readonly slackToken: string;
  readonly webhookSecret: string;
}

export function newSecrets(): DemoSecrets {
  return {
    writeToken: `dw-demo-${randomBytes(16).toString("hex")}`,
    slackToken: `xoxb-demo-${randomBytes(8).toString("hex")}`,
    webhookSecret: randomBytes(24).toString("hex"),
  };
}

export interface DemoConfigInput {
  readonly dir: string;
  readonly serverPort: number;
  readonly smtpPort: number;
  readonly slackApiUrl: string;
  readonly retrainUrl: string;
  readonly secrets: DemoSecrets;
  readonly baseEnv: NodeJS.ProcessEnv;
}

export interface DemoConfig {
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
  readonly config: DriftwatchConfig;
}

export function writeDemoConfig(input: DemoConfigInput): DemoConfig {
  const document = parseDocument(readFileSync(demoConfigTemplate(), "utf8"));
  document.setIn(["server", "port"], input.serverPort);
  // The demo's API is for this machine only (also the default): never exposed by a template edit.
  document.setIn(["server", "host"], "127.0.0.1");
  document.setIn(["alerts", "smtp", "port"], input.smtpPort);
  mkdirSync(input.dir, { recursive: true });
  const path = join(input.dir, "driftwatch.yaml");
  writeFileSync(path, document.toString());
  const env: NodeJS.ProcessEnv = {
    ...input.baseEnv,
    DW_DEMO_WRITE_TOKEN: input.secrets.writeToken,
    DEMO_SLACK_TOKEN: input.secrets.slackToken,
    DW_DEMO_WEBHOOK_SECRET: input.secrets.webhookSecret,
    DEMO_SLACK_API_URL: input.slackApiUrl,
    DEMO_RETRAIN_URL: input.retrainUrl,
  };
  // The port is the file's; an inherited DRIFTWATCH_PORT would override it.
  delete env.DRIFTWATCH_PORT;
  delete env.DRIFTWATCH_CONFIG;
  return { path, env, config: loadConfig({ path, env }) };
}
