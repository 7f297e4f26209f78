// Types of fuzz-lib.mjs (for test/heavy/fuzz-api.test.ts).

export declare const FUZZ_DIR: string;
export declare const PROJECT_ROOT: string;
export declare const REQUIREMENTS_FILE: string;
export declare const CONFIG_FILE: string;
export declare const BASELINE_FILE: string;
export declare const SCHEMATHESIS_VERSION: string;

export type Level = "admin" | "write" | "read" | "none";
export declare const LEVELS: readonly Level[];

export declare function stackDir(env?: NodeJS.ProcessEnv): string;

export interface CommandResult {
  readonly code: number;
  readonly signal: string | undefined;
  readonly output: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

export declare function runCommand(
  command: string,
  args: readonly string[],
  options?: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    onOutput?: (text: string) => void;
  },
): Promise<CommandResult>;

export interface Schemathesis {
  readonly bin: string;
  readonly venv: string;
  readonly version: string;
  /** True when this call created the venv. */
  readonly installed: boolean;
}

export declare function ensureSchemathesis(options?: {
  log?: (message: string) => void;
  python?: string;
  /** Stack directory holding fuzz-venv/ (default DRIFTWATCH_STACK_DIR or <project>/.stack). */
  dir?: string;
  venv?: string;
}): Promise<Schemathesis>;

export interface SchemathesisOptions {
  readonly url: string;
  readonly token?: string;
  readonly seed: number;
  readonly maxExamples: number;
  readonly reportDir: string;
  readonly requestTimeoutSeconds?: number;
  readonly baseline?: string;
  readonly extraArgs?: readonly string[];
}

export declare function schemathesisArgs(options: SchemathesisOptions): string[];
export declare function shellLine(bin: string, args: readonly string[]): string;

/** The parts of schemathesis's JSON report (--report json) that are read. */
export interface SchemathesisReport {
  readonly exit_code: number;
  readonly running_time: number;
  readonly seed: number;
  readonly operations: { readonly total: number; readonly tested: number };
  readonly test_cases: {
    readonly generated: number;
    readonly with_failures: number;
    readonly unique_failures: number;
    readonly errored: number;
  };
  readonly failures: readonly {
    readonly code: string;
    readonly title: string;
    readonly count: number;
    readonly operations: readonly unknown[];
  }[];
  readonly errors: readonly unknown[];
  readonly baseline?: {
    readonly known: number;
    readonly new: number;
    readonly known_ids: readonly string[];
    readonly unobserved_ids: readonly string[];
  } | null;
}

export interface SchemathesisRun extends CommandResult {
  readonly reportDir: string;
  readonly report: SchemathesisReport | undefined;
}

export declare function runSchemathesis(options: {
  bin: string;
  args: readonly string[];
  reportDir: string;
  timeoutMs?: number;
  onOutput?: (text: string) => void;
}): Promise<SchemathesisRun>;

export declare function describeRun(run: SchemathesisRun): string;
export declare function runPassed(run: SchemathesisRun): boolean;

export interface BaselineEntry {
  readonly id: string;
  readonly operation: string;
  readonly check: string;
  readonly failure: string;
  readonly signature: string;
  /** The test that reproduces it without Python. */
  readonly regression?: string;
  readonly why?: string;
  /** The run that found it: the heavy test (which must keep reproducing it) or `npm run fuzz`. */
  readonly found?: string;
}
export declare function baselineEntries(file?: string): BaselineEntry[];

export interface Sink {
  readonly url: string;
  readonly received: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}
export declare function startSink(): Promise<Sink>;

export declare const TOKEN_VARIABLES: {
  readonly read: string;
  readonly write: string;
  readonly admin: string;
};

export declare function fuzzConfigYaml(options: {
  clickhouseUrl: string;
  database: string;
  brokers: readonly string[];
  sinkUrl: string;
  groupId?: string;
}): string;

export declare function seedThroughApi(
  url: string,
  tokens: { read: string; write: string },
  now?: number,
): Promise<{ events: number; window: { from: string; to: string } }>;

export declare function apiRequestCount(url: string): Promise<number>;
