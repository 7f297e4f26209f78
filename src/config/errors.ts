// ConfigError: why a configuration was refused, each problem with its YAML path and position.

export type ConfigPath = readonly (string | number)[];

/** One problem in the configuration. */
export interface ConfigIssue {
  /** Path of the offending value, e.g. ["kafka", "sasl", "mechanism"]; empty for the whole file. */
  readonly path: ConfigPath;
  /** Why it is wrong, e.g. "must be one of plain, scram-sha-256, scram-sha-512". */
  readonly message: string;
  /** 1-based position in the YAML file, when the value came from the file. */
  readonly line?: number;
  readonly column?: number;
  /** The environment variable the value came from, when it came from one. */
  readonly envVariable?: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["kafka", "brokers", 0]` → `kafka.brokers[0]`; odd keys are quoted: `models["a.b"]`. */
export function formatConfigPath(path: ConfigPath): string {
  if (path.length === 0) return "(root)";
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** `config error at kafka.sasl.mechanism (line 7, column 5): must be one of …` */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where: string[] = [];
  if (issue.line !== undefined) {
    where.push(
      `line ${issue.line}` + (issue.column !== undefined ? `, column ${issue.column}` : ""),
    );
  }
  if (issue.envVariable !== undefined) where.push(`from ${issue.envVariable}`);
  const position = where.length > 0 ? ` (${where.join(", ")})` : "";
  return `config error at ${formatConfigPath(issue.path)}${position}: ${issue.message}`;
}

/** The configuration is invalid; `message` lists every issue, one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(
    issues: readonly ConfigIssue[],
    readonly file?: string,
  ) {
    const lines = issues.map(formatConfigIssue);
    super(file === undefined ? lines.join("\n") : `${lines.join("\n")}\n(in ${file})`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}
