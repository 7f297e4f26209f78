// Loading the configuration: YAML file (or none) → ${VAR} substitution → env overrides → schema
// validation with defaults. Any problem stops start-up with a ConfigError naming path and line;
// warnings (a secret written inline, plain http:// to a remote host) are logged and do not.
import { readFileSync } from "node:fs";
import { alertsConfigWarnings } from "./schema/alerts/checks.js";
import { createLogger } from "../util/index.js";
import { applyEnvOverrides, type AppliedOverride } from "./env-overrides.js";
import { ConfigError, formatConfigPath, type ConfigIssue, type ConfigPath } from "./errors.js";
import type { DriftwatchConfig } from "./schema/index.js";
import { substituteVariables } from "./substitute.js";
import { validateConfig, type RawIssue } from "./validate.js";
import { locatePath, parseYamlSource, type YamlSource } from "./yaml-source.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** Where config warnings go (a pino Logger fits). Warnings never carry a secret's value. */
export interface ConfigWarningLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LoadConfigOptions {
  /** Config file; defaults to env DRIFTWATCH_CONFIG; with neither, defaults + env are used. */
  readonly path?: string;
  /** Environment for overrides and ${VAR} substitution; defaults to process.env. */
  readonly env?: Environment;
  /** Where warnings go; defaults to a `config` logger on stderr. */
  readonly logger?: ConfigWarningLogger;
}

/** Load, substitute, override and validate the configuration. Throws ConfigError. */
export function loadConfig(options: LoadConfigOptions = {}): DriftwatchConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? nonEmpty(env.DRIFTWATCH_CONFIG);
  if (path === undefined) return parseConfig("", { env });
  let stderrLogger: ConfigWarningLogger | undefined;
  const logger = options.logger ?? {
    warn: (fields: Record<string, unknown>, message: string) =>
      (stderrLogger ??= createLogger("config")).warn(fields, message),
  };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new ConfigError([{ path: [], message: `cannot read config file ${path}: ${reason}` }]);
  }
  return parseConfig(text, { env, file: path, logger });
}

/**
 * Parse and validate config text (the body of a YAML file; "" means all defaults). Warnings are
 * logged to `options.logger` when one is given.
 */
export function parseConfig(
  text: string,
  options: {
    readonly env?: Environment;
    readonly file?: string;
    readonly logger?: ConfigWarningLogger;
  } = {},
): DriftwatchConfig {
  const env = options.env ?? process.env;
  const source = parseYamlSource(text, options.file);
  const fromEnvironment: ConfigPath[] = [];
  const substitutionIssues = substituteVariables(source, env, (path) => fromEnvironment.push(path));
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
  if (options.logger !== undefined) {
    fromEnvironment.push(...overrides.map((override) => override.path));
    logWarnings(result.config, source, fromEnvironment, options.logger, options.file);
  }
  return result.config;
}

function logWarnings(
  config: DriftwatchConfig,
  source: YamlSource,
  fromEnvironment: readonly ConfigPath[],
  logger: ConfigWarningLogger,
  file: string | undefined,
): void {
  const environmentPaths = new Set(fromEnvironment.map(formatConfigPath));
  const warnings = alertsConfigWarnings(config.alerts, (path) =>
    environmentPaths.has(formatConfigPath(path)),
  );
  for (const warning of warnings) {
    const path = formatConfigPath(warning.path);
    const position = locatePath(source, warning.path);
    const where =
      position !== undefined ? ` (line ${position.line}, column ${position.column})` : "";
    logger.warn(
      { path, kind: warning.kind, ...position, ...(file !== undefined ? { file } : {}) },
      `config warning at ${path}${where}: ${warning.message}`,
    );
  }
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
