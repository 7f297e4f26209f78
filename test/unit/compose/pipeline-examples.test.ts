// The pipeline examples in examples/ (Airflow DAGs, GitHub Actions workflows, Jenkinsfile) parse,
// call the status gate with the real CLI flags, receive the retrain webhook the way driftwatch's
// presets send it (event type, DAG id, Jenkins parameters, payload fields), and come with a
// driftwatch config snippet the real config loader accepts.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PAYLOAD_VERSION, retrainPayload } from "../../../alerts/templates/webhook-payload.js";
import { parseConfig } from "../../../src/config/index.js";
import { REPO_ROOT, readRepoFile } from "./compose-file.js";

const run = promisify(execFile);
const GATE = 'driftwatch status --model "$MODEL" --fail-on-drift';

/** A retrain payload as driftwatch sends it, built by the real payload function. */
const payload = retrainPayload({
  id: "req-1",
  model: "credit-risk",
  modelVersion: "3",
  source: "alert",
  reason: "credit-risk-drift fired",
  requestedAt: Date.UTC(2026, 10, 23),
  alerts: [
    {
      rule: "credit-risk-drift",
      fingerprint: "f1",
      labels: { model: "credit-risk" },
      value: 0.6,
      threshold: 0.5,
    },
  ],
  actions: ["x"],
});

function retrainConfig(path: string) {
  return parseConfig(readRepoFile(path), {
    env: { GITHUB_TOKEN: "t", AIRFLOW_PASSWORD: "p", JENKINS_TOKEN: "j" },
    file: path,
  });
}

describe("CLI flags the examples use", () => {
  it("exist on the status and reference commands", () => {
    const status = readRepoFile("src/cli/commands/status.ts");
    expect(status).toContain('"--fail-on-drift"');
    expect(status).toMatch(/--model <\w+>/);
    const reference = readRepoFile("src/cli/commands/reference.ts");
    for (const flag of ["--model <", "--version <", "--from <", "--to <"]) {
      expect(reference).toContain(flag);
    }
  });
});

describe("Airflow examples", () => {
  it("compile as Python", async () => {
    const files = ["driftwatch_gate_dag.py", "driftwatch_retrain_dag.py"].map((file) =>
      join(REPO_ROOT, "examples/airflow", file),
    );
    await run("python3", ["-m", "py_compile", ...files], {
      env: { ...process.env, PYTHONPYCACHEPREFIX: join(REPO_ROOT, "node_modules/.cache/pyc") },
    });
  });

  it("gate on the status command and receive the retrain payload as the airflow preset sends it", () => {
    expect(readRepoFile("examples/airflow/driftwatch_gate_dag.py")).toContain(GATE);
    const dag = readRepoFile("examples/airflow/driftwatch_retrain_dag.py");
    expect(dag).toContain(GATE);
    const config = retrainConfig("examples/airflow/driftwatch-retrain.yaml");
    const action = config.alerts.retrain.actions[0];
    expect(dag).toContain(`dag_id="${action?.airflow?.dagId}"`);
    expect(config.alerts.rules[0]?.retrain).toEqual([action?.name]);
    // The fields the DAG reads from dag_run.conf are in the payload driftwatch sends.
    expect(dag).toContain(`conf.get("version") != "${PAYLOAD_VERSION}"`);
    expect(payload.kind).toBe("retrain");
    for (const field of [...dag.matchAll(/conf\.get\("(\w+)"/g)].map((match) => match[1]!)) {
      expect(payload, `conf.${field}`).toHaveProperty(field);
    }
  });
});

describe("GitHub Actions examples", () => {
  interface Workflow {
    on: Record<string, { types?: string[] } | null>;
    jobs: Record<string, { steps: { run?: string; uses?: string }[] }>;
  }
  const workflow = (file: string): Workflow =>
    parse(readRepoFile(`examples/github-actions/${file}`)) as Workflow;

  it("parse as YAML workflows with a status gate step", () => {
    for (const file of ["driftwatch-gate.yml", "driftwatch-retrain.yml"]) {
      const steps = Object.values(workflow(file).jobs).flatMap((job) => job.steps);
      expect(
        steps.some((step) => step.run?.trim() === GATE),
        `${file} runs the gate`,
      ).toBe(true);
      // Untrusted payload text never goes straight into a script (expression injection).
      for (const step of steps) {
        expect(step.run ?? "", file).not.toMatch(/\$\{\{\s*github\.event/);
      }
    }
  });

  it("triggers on the repository_dispatch event type the github preset sends, reading payload fields it has", () => {
    const config = retrainConfig("examples/github-actions/driftwatch-retrain.yaml");
    const action = config.alerts.retrain.actions[0];
    const retrain = workflow("driftwatch-retrain.yml");
    expect(retrain.on.repository_dispatch?.types).toEqual([action?.github?.eventType]);
    const text = readRepoFile("examples/github-actions/driftwatch-retrain.yml");
    for (const field of [...text.matchAll(/client_payload\.(\w+)/g)].map((match) => match[1]!)) {
      expect(payload, `client_payload.${field}`).toHaveProperty(field);
    }
  });
});

describe("Jenkins example", () => {
  const jenkinsfile = readRepoFile("examples/jenkins/Jenkinsfile");

  it("is a declarative pipeline with balanced braces and the status gate", () => {
    expect(jenkinsfile).toMatch(/^pipeline \{/m);
    const code = jenkinsfile
      .replace(/'''[\s\S]*?'''/g, "''")
      .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
      .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
      .replace(/\/\/.*$/gm, "");
    let depth = 0;
    for (const char of code) {
      if (char === "{") depth++;
      if (char === "}") depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(jenkinsfile).toContain(`sh '${GATE}'`);
  });

  it("declares every parameter the jenkins preset posts", () => {
    const config = retrainConfig("examples/jenkins/driftwatch-retrain.yaml");
    expect(config.alerts.retrain.actions[0]?.jenkins?.job).toBe("credit-risk-retrain");
    for (const name of [
      "MODEL",
      "MODEL_VERSION",
      "REASON",
      "DRIFTWATCH_REQUEST_ID",
      "DRIFTWATCH_PAYLOAD",
    ]) {
      expect(jenkinsfile).toMatch(new RegExp(`\\b(string|text)\\(name: '${name}'`));
    }
    expect(readRepoFile("alerts/notifiers/presets/jenkins.ts")).toContain("DRIFTWATCH_PAYLOAD:");
  });
});
