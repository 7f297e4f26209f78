// Installing missing Debian packages: `apt-get update` once, then a non-interactive
// `apt-get install -y`, retried once. Without root it explains what to install instead.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { outputTail, runCommand, type CommandResult } from "./run-command.js";

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

function run(command: string, args: readonly string[]): Promise<CommandResult> {
  return runCommand(command, args, { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

// Wait for a dpkg lock held by another apt run (e.g. unattended-upgrades) instead of failing.
const APT_OPTIONS = ["-o", "DPkg::Lock::Timeout=180", "-o", "Acquire::Retries=3"];

let updatedThisProcess = false;

const POLICY_RC_D = "/usr/sbin/policy-rc.d";

/**
 * Keep the packages' own services (clickhouse-server.service, prometheus.service) from starting
 * during the install: they would take the stack's ports with configs driftwatch does not control.
 * Debian's maintainer scripts honour policy-rc.d exit code 101 ("action forbidden").
 */
async function withoutServiceStarts<T>(work: () => Promise<T>): Promise<T> {
  if (existsSync(POLICY_RC_D)) return work();
  try {
    writeFileSync(
      POLICY_RC_D,
      "#!/bin/sh\n# written by driftwatch stack up during apt-get install\nexit 101\n",
      {
        mode: 0o755,
      },
    );
  } catch {
    return work();
  }
  try {
    return await work();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
  }
}

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
      const update = await run("apt-get", [...APT_OPTIONS, "update"]);
      if (update.code === 0) updatedThisProcess = true;
      else progress(`apt-get update failed (exit ${update.code}); trying the install anyway`);
    }
    const install = await withoutServiceStarts(() =>
      run("apt-get", [...APT_OPTIONS, "install", "-y", "--no-install-recommends", ...packages]),
    );
    if (install.code === 0) {
      progress(`installed ${packages.join(" ")}`);
      return;
    }
    lastOutput = install.output;
    progress(`apt-get install failed (exit ${install.code}, attempt ${attempt} of 2)`);
  }
  throw new InstallError(
    `could not install ${packages.join(" ")} with apt-get (needed for ${programs}). ` +
      `Last output:\n${outputTail(lastOutput)}`,
  );
}
