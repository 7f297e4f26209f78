// Runs a benchmark command and measures its wall time and peak resident memory: the kernel's
// high-water mark (VmHWM in /proc/<pid>/status), polled while the process runs.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface Measured {
  seconds: number;
  peakRssMb: number | null;
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function highWaterMarkKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? null : Number(match[1]);
  } catch {
    return null; // the process has just exited
  }
}

export function measure(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peakKb: number | null = null;
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      const kb = highWaterMarkKb(child.pid);
      if (kb !== null) peakKb = Math.max(peakKb ?? 0, kb);
    }, 20);
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    child.on("error", (error) => {
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      resolve({
        seconds,
        peakRssMb: peakKb === null ? null : peakKb / 1024,
        code,
        stdout,
        stderr,
        timedOut,
      });
    });
  });
}
