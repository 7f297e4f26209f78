// Runs the built CLI (bin/driftwatch) as a user would, capturing stdout, stderr and the exit code.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const FIXTURES = join(REPOSITORY_ROOT, "test", "fixtures", "check");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      join(REPOSITORY_ROOT, "bin", "driftwatch"),
      args,
      {
        cwd: REPOSITORY_ROOT,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1", ...extraEnv },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
