// Running a short command to completion with its output captured (apt-get, mvn, StorageTool).
import { spawn } from "node:child_process";

export interface CommandResult {
  readonly code: number;
  /** stdout and stderr interleaved, the last `keepBytes` characters. */
  readonly output: string;
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; keepBytes?: number } = {},
): Promise<CommandResult> {
  const keepBytes = options.keepBytes ?? 16_000;
  return new Promise((resolveRun) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-keepBytes);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (error) => resolveRun({ code: -1, output: error.message }));
    child.once("close", (code) => resolveRun({ code: code ?? -1, output }));
  });
}

/** The last `lines` lines of command output, indented for an error message. */
export function outputTail(output: string, lines = 15): string {
  return output
    .trim()
    .split("\n")
    .slice(-lines)
    .map((line) => `  | ${line}`)
    .join("\n");
}
