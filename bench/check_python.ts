// Python environments for `npm run bench:check`: the numpy/scipy/pandas baseline uses python3
// when it already has them, otherwise a virtualenv under bench/out/; Evidently always gets its own
// virtualenv there (installed on first use, with pandas < 3, which Evidently 0.7 still needs;
// skipped when the install fails).
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function run(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): { ok: boolean; output: string } {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 1 << 26,
  });
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`,
  };
}

function canImport(python: string, modules: string): boolean {
  return run(python, ["-c", `import ${modules}`], 60_000).ok;
}

/**
 * A python interpreter that can import `modules`, making a virtualenv at `venvDir` with `packages`
 * when needed; null (with the reason in the log file) when that fails.
 */
export function pythonWith(
  modules: string,
  packages: readonly string[],
  venvDir: string,
  options: { preferSystem: boolean; log: (line: string) => void },
): string | null {
  const system = process.env.DRIFTWATCH_BENCH_PYTHON ?? "python3";
  if (options.preferSystem && canImport(system, modules)) return system;
  const python = join(venvDir, "bin", "python");
  if (existsSync(python) && canImport(python, modules)) return python;
  options.log(`installing ${packages.join(" ")} into ${venvDir} (first run only)`);
  const created = existsSync(python)
    ? { ok: true, output: "" }
    : run(system, ["-m", "venv", venvDir], 300_000);
  const installed = created.ok
    ? run(
        python,
        ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...packages],
        1_800_000,
      )
    : created;
  writeFileSync(`${venvDir}.install.log`, installed.output);
  if (!installed.ok || !canImport(python, modules)) {
    options.log(`could not install ${packages.join(" ")} (see ${venvDir}.install.log): skipped`);
    return null;
  }
  return python;
}
