// Loading the configuration: YAML file (or none) → ${VAR} substitution → env overrides → schema
// validation with defaults. Any problem stops start-up with a ConfigError naming path and line.
import { readFileSync } from "node:fs";
import { applyEnvOverrides, type AppliedOverride } from "./env-overrides.js";
import { ConfigError, type ConfigIssue, type ConfigPath } from "./errors.js";
import type { DriftwatchConfig } from "./schema/index.js";
import { substituteVariables } from "./substitute.js";
import { validateConfig, type RawIssue } from "./validate.js";
import { locatePath, parseYamlSource, type YamlSource } from "./yaml-source.js";

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Config file; defaults to env DRIFTWATCH_CONFIG; with neither, defaults + env are used. */
  readonly path?: string;
  /** Environment for overrides and ${VAR} substitution; defaults to process.env. */
  readonly env?: Environment;
}

/** Load, substitute, override and validate the configuration. Throws ConfigError. */
export function loadConfig(options: LoadConfigOptions = {}): DriftwatchConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? nonEmpty(env.DRIFTWATCH_CONFIG);
  if (path === undefined) return parseConfig("", { env });
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new ConfigError([{ path: [], message: `cannot read config file ${path}: ${reason}` }]);
  }
  return parseConfig(text, { env, file: path });
}

/** Parse and validate config text (the body of a YAML file; "" means all defaults). */
export function parseConfig(
  text: string,
  options: { readonly env?: Environment; readonly file?: string } = {},
): DriftwatchConfig {
  const env = options.env ?? process.env;
  const source = parseYamlSource(text, options.file);
  const substitutionIssues = substituteVariables(source, env);
  if (substitutionIssues.length > 0) throw new ConfigError(substitutionIssues, options.file);

  const raw: unknown = source.document.toJS() ?? {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    const position = locatePath(source, []);
    throw new ConfigError(
      [
        {
          path: [],
          ...position,
          message: "the config file must be a mapping of sections (kafka:, clickhouse:, …)",
        },
      ],
      options.file,
    );
  }
  const overrides = applyEnvOverrides(raw as Record<string, unknown>, env);
  const result = validateConfig(raw as Record<string, unknown>);
  if (result.config === undefined) {
    const issues = result.issues.map((issue) => attachPosition(issue, source, overrides));
    issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new ConfigError(issues, options.file);
  }
  return result.config;
}

function attachPosition(
  issue: RawIssue,
  source: YamlSource,
  overrides: readonly AppliedOverride[],
): ConfigIssue {
  const override = overrides.find((applied) => isPrefix(applied.path, issue.path));
  if (override !== undefined) {
    return { path: issue.path, message: issue.message, envVariable: override.variable };
  }
  const position = locatePath(source, issue.path, issue.at);
  return { path: issue.path, message: issue.message, ...position };
}

function isPrefix(prefix: ConfigPath, path: ConfigPath): boolean {
  return (
    prefix.length <= path.length &&
    prefix.every((segment, index) => String(path[index]) === String(segment))
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
