// Test support for the bundled Grafana dashboards: loading the JSON files, and reproducing what
// Grafana and the grafana-clickhouse-datasource plugin (v4.20.0) do to a panel's query before it
// reaches ClickHouse or Prometheus:
//  1. Grafana's template service replaces $var / ${var} / ${var:format} / [[var]] (the ClickHouse
//     plugin's default format leaves a single value as it is and quotes multi-values as 'a','b';
//     the Prometheus datasource regex-escapes multi/all variables);
//  2. the plugin's backend expands its $__ macros (pkg/macros/macros.go): for example
//     $__timeFilter(c) → c >= toDateTime(<from s>) AND c <= toDateTime(<to s>),
//     $__timeInterval(c) → toStartOfInterval(toDateTime(c), INTERVAL <interval s> second),
//     $__fromTime → toDateTime(<from s>). Unknown macros are an error here, so a dashboard cannot
//     use a macro whose expansion the checks do not know.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const DASHBOARD_DIR = join(import.meta.dirname, "../../../dashboards");
export const DASHBOARD_JSON_DIR = join(DASHBOARD_DIR, "json");

export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

export interface PanelTarget {
  readonly refId: string;
  readonly datasource?: DatasourceRef;
  readonly rawSql?: string;
  readonly expr?: string;
  readonly format?: number;
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: GridPos;
  readonly datasource?: DatasourceRef;
  readonly targets?: readonly PanelTarget[];
  readonly repeat?: string;
  readonly panels?: readonly Panel[];
}

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query: string };
  readonly datasource?: DatasourceRef;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

export interface DashboardFile {
  readonly file: string;
  readonly dashboard: Dashboard;
}

export function loadDashboards(): DashboardFile[] {
  return readdirSync(DASHBOARD_JSON_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(DASHBOARD_JSON_DIR, file), "utf8")) as Dashboard,
    }));
}

export function dashboardByUid(uid: string): Dashboard {
  const found = loadDashboards().find((entry) => entry.dashboard.uid === uid);
  if (found === undefined) throw new Error(`no dashboard with uid ${uid}`);
  return found.dashboard;
}

/** Every panel that queries a datasource (rows are layout only). */
export function queryPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels
    .flatMap((panel) => [panel, ...(panel.panels ?? [])])
    .filter((panel) => panel.type !== "row");
}

export const CLICKHOUSE_TYPE = "grafana-clickhouse-datasource";
export const PROMETHEUS_TYPE = "prometheus";

// ---------------------------------------------------------------------------------------------
// Grafana template variables

/** A variable's value as Grafana holds it: one value, or several for multi-value variables. */
export type VariableValue = string | readonly string[];

export type Dialect = "clickhouse" | "prometheus";

// Grafana's variable syntax (public/app/features/variables/utils.ts, variableRegex).
const VARIABLE_PATTERN =
  /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function prometheusSpecialRegexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&");
}

function prometheusRegularEscape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/'/g, "\\\\'");
}

function formatValue(
  value: VariableValue,
  format: string | undefined,
  dialect: Dialect,
  variable: Variable,
): string {
  const values = typeof value === "string" ? [value] : value;
  if (format === "sqlstring") return values.map(sqlString).join(",");
  if (format === "raw") return values.join(",");
  if (format !== undefined) throw new Error(`variable format :${format} is not reproduced here`);
  if (dialect === "clickhouse") {
    // CHDatasource.format: arrays become 'a','b'; a single value is left as it is.
    return typeof value === "string" ? value : `'${value.join("','")}'`;
  }
  if (!variable.multi && !variable.includeAll) return prometheusRegularEscape(values.join(","));
  const escaped = values.map(prometheusSpecialRegexEscape);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join("|")})`;
}

/**
 * Replace the dashboard variables in `text` as Grafana does. Grafana's own variables ($__…) are
 * left for the datasource; any other name must be a variable of the dashboard with a value.
 */
export function interpolateVariables(
  text: string,
  variables: readonly Variable[],
  values: Readonly<Record<string, VariableValue>>,
  dialect: Dialect,
): string {
  return text.replace(
    VARIABLE_PATTERN,
    (
      match,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      _path?: string,
      bracedFormat?: string,
    ) => {
      const name = plain ?? bracket ?? braced ?? "";
      if (name.startsWith("__")) return match;
      const variable = variables.find((candidate) => candidate.name === name);
      if (variable === undefined) throw new Error(`${match} is not a variable of the dashboard`);
      const value = values[name];
      if (value === undefined) throw new Error(`no value given for variable ${name}`);
      const isAll = value === "$__all";
      if (isAll) {
        if (variable.allValue === undefined)
          throw new Error(`variable ${name}: All without allValue`);
        return variable.allValue;
      }
      return formatValue(value, bracketFormat ?? bracedFormat, dialect, variable);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// grafana-clickhouse-datasource macros (pkg/macros/macros.go at v4.20.0)

export interface QueryTimeRange {
  /** Epoch milliseconds. */
  readonly from: number;
  readonly to: number;
  /** Grafana's computed interval for the panel, in milliseconds. */
  readonly intervalMs: number;
}

const toDateTime = (ms: number): string => `toDateTime(${Math.floor(ms / 1000)})`;

type MacroExpander = (args: readonly string[], range: QueryTimeRange) => string;

function oneArgument(macro: string, args: readonly string[]): string {
  if (args.length !== 1) {
    throw new Error(`$__${macro} expected 1 argument(s), received ${args.length}`);
  }
  return args[0]!;
}

const MACROS: Readonly<Record<string, MacroExpander>> = {
  timeFilter: (args, range) => {
    const column = oneArgument("timeFilter", args);
    return `${column} >= ${toDateTime(range.from)} AND ${column} <= ${toDateTime(range.to)}`;
  },
  timeFrom: (args, range) => `${oneArgument("timeFrom", args)} >= ${toDateTime(range.from)}`,
  timeTo: (args, range) => `${oneArgument("timeTo", args)} <= ${toDateTime(range.to)}`,
  fromTime: (_args, range) => toDateTime(range.from),
  toTime: (_args, range) => toDateTime(range.to),
  fromTime_ms: (_args, range) => `fromUnixTimestamp64Milli(${Math.floor(range.from)})`,
  toTime_ms: (_args, range) => `fromUnixTimestamp64Milli(${Math.floor(range.to)})`,
  timeInterval: (args, range) => {
    const seconds = Math.trunc(Math.max(range.intervalMs / 1000, 1));
    return `toStartOfInterval(toDateTime(${oneArgument("timeInterval", args)}), INTERVAL ${seconds} second)`;
  },
  interval_s: (_args, range) => String(Math.trunc(Math.max(range.intervalMs / 1000, 1))),
};

/** Index just after the ')' closing the '(' at `open`, skipping quoted text. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === "'" || char === "`" || char === '"') {
      index = endOfQuoted(text, index);
      continue;
    }
    if (char === "(") depth++;
    if (char === ")") {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  throw new Error(`unbalanced parentheses after position ${open} in: ${text}`);
}

/** Index of the closing quote of the literal opening at `start` (backslash escapes honoured). */
function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === quote) return index;
  }
  throw new Error(`unterminated literal at position ${start} in: ${text}`);
}

function splitArguments(inside: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = "";
  for (let index = 0; index < inside.length; index++) {
    const char = inside[index]!;
    if (char === "'" || char === "`" || char === '"') {
      const end = endOfQuoted(inside, index);
      current += inside.slice(index, end + 1);
      index = end;
      continue;
    }
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      args.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  if (current.trim() !== "" || args.length > 0) args.push(current.trim());
  return args;
}

/** Expand every $__ macro of the ClickHouse plugin in `sqlText` (nested macros included). */
export function expandClickHouseMacros(sqlText: string, range: QueryTimeRange): string {
  let result = "";
  let index = 0;
  while (index < sqlText.length) {
    const char = sqlText[index]!;
    if (char === "'" || char === "`") {
      const end = endOfQuoted(sqlText, index);
      result += sqlText.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    const macro = /^\$__(\w+)/.exec(sqlText.slice(index, index + 64));
    if (macro === null) {
      result += char;
      index++;
      continue;
    }
    const name = macro[1]!;
    const expander = MACROS[name];
    if (expander === undefined) throw new Error(`macro $__${name} is not reproduced here`);
    let next = index + macro[0].length;
    let args: string[] = [];
    if (sqlText[next] === "(") {
      const close = closingParenthesis(sqlText, next);
      args = splitArguments(sqlText.slice(next + 1, close - 1)).map((arg) =>
        expandClickHouseMacros(arg, range),
      );
      next = close;
    }
    result += expander(args, range);
    index = next;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Prometheus: Grafana's own range variables

/** Replace Grafana's $__rate_interval / $__interval / $__range with fixed durations. */
export function expandPrometheusBuiltins(expr: string, rateInterval: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, rateInterval)
    .replace(/\$__interval|\$\{__interval\}/g, rateInterval)
    .replace(/\$__range|\$\{__range\}/g, rateInterval);
}
