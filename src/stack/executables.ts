// Locating the programs the stack runs (clickhouse-server, prometheus, java, mvn) on PATH or in
// the directories Debian installs them to (sbin is often missing from a non-login PATH).
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const EXTRA_DIRS = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The absolute path of an executable, or undefined when it is not installed. */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dirs = [...(env.PATH ?? "").split(delimiter).filter((dir) => dir !== ""), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
