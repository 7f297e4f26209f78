// Runs a driftwatch CLI command (this build's dist/src/cli/main.js) as a child process and
// returns its exit code and output; a non-zero exit not listed in `okCodes` is an error.
import { spawn } from "node:child_process";
import { cliEntry } from "./service-process.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCliCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  okCodes: readonly number[] = [0],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr };
      if (okCodes.includes(result.code)) resolve(result);
      else {
        reject(
          new Error(
            `driftwatch ${args.slice(0, 2).join(" ")} exited ${result.code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
          ),
        );
      }
    });
  });
}
