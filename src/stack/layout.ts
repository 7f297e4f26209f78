// Where the local stack lives on disk: the project root and the `.stack/` directory under it
// (overridable with DRIFTWATCH_STACK_DIR).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The driftwatch checkout (the directory holding its package.json), found from this module. */
export function projectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
        if (parsed.name === "driftwatch") return directory;
      } catch {
        // not our manifest: keep walking up
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
}

/** The stack directory: DRIFTWATCH_STACK_DIR when set, else `<project>/.stack`. */
export function resolveStackDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.DRIFTWATCH_STACK_DIR;
  if (configured !== undefined && configured.trim() !== "") return resolve(configured);
  return join(projectRoot(), ".stack");
}
