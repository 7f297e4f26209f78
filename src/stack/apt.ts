// Installing missing Debian packages: `apt-get update` once, then a non-interactive
// `apt-get install -y`, retried once. Without root it explains what to install instead.
import { spawn } from "node:child_process";

export type Progress = (message: string) => void;

/** A program the stack needs and the Debian packages that provide it. */
export interface Requirement {
  readonly program: string;
  readonly packages: readonly string[];
  readonly present: boolean;
}

export class InstallError extends Error {
  override readonly name = "InstallError";
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

interface RunResult {
  readonly code: number;
  readonly output: string;
}

function run(command: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, [...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-8_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (error) => resolveRun({ code: -1, output: error.message }));
    child.once("close", (code) => resolveRun({ code: code ?? -1, output }));
  });
}

let updatedThisProcess = false;

/**
 * Install the packages of every requirement that is not present. Throws InstallError with the
 * apt output (or, without root, the command to run) when that is not possible.
 */
export async function installMissing(
  requirements: readonly Requirement[],
  progress: Progress,
): Promise<void> {
  const missing = requirements.filter((requirement) => !requirement.present);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((requirement) => requirement.packages))];
  const programs = missing.map((requirement) => requirement.program).join(", ");
  if (!isRoot()) {
    throw new InstallError(
      `${programs} not installed and installing needs root. Run:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}\n` +
        "then retry, or run the stack with docker-compose (docker compose up -d).",
    );
  }
  progress(`installing ${packages.join(" ")} with apt-get (missing: ${programs})`);
  let lastOutput = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (!updatedThisProcess || attempt > 1) {
      const update = await run("apt-get", ["update"]);
      if (update.code === 0) updatedThisProcess = true;
      else progress(`apt-get update failed (exit ${update.code}); trying the install anyway`);
    }
    const install = await run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]);
    if (install.code === 0) {
      progress(`installed ${packages.join(" ")}`);
      return;
    }
    lastOutput = install.output;
    progress(`apt-get install failed (exit ${install.code}, attempt ${attempt} of 2)`);
  }
  throw new InstallError(
    `could not install ${packages.join(" ")} with apt-get (needed for ${programs}). ` +
      `Last output:\n${lastOutput.trim().split("\n").slice(-15).join("\n")}`,
  );
}
