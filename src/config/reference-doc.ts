// The configuration reference (docs/config-reference.md) generated from the config schema, so
// the document lists every key, type, default and constraint the loader actually enforces.
import { ConfigSchema } from "./schema/index.js";

/** The parts of a JSON schema node the reference shows. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly patternHint?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly required?: readonly string[];
  readonly secret?: boolean;
  readonly [key: string]: unknown;
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly notes: string;
}

function typeName(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum !== undefined) return node.enum.map((value) => JSON.stringify(value)).join(" \\| ");
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined) return variants.map(typeName).join(" \\| ");
  if (node.type === "array") return `array of ${node.items ? typeName(node.items) : "values"}`;
  if (Array.isArray(node.type)) return node.type.join(" \\| ");
  if (node.type === "object" && node.patternProperties !== undefined) return "map";
  return typeof node.type === "string" ? node.type : "value";
}

function constraints(node: SchemaNode): string[] {
  const notes: string[] = [];
  if (node.minimum !== undefined) notes.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) notes.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) notes.push(`≤ ${node.maximum}`);
  if (node.minLength !== undefined && node.minLength > 0) notes.push(`length ≥ ${node.minLength}`);
  if (node.maxLength !== undefined) notes.push(`length ≤ ${node.maxLength}`);
  if (node.patternHint?.startsWith("must ")) notes.push(node.patternHint);
  else if (node.pattern !== undefined)
    notes.push(`matches \`${node.patternHint ?? node.pattern}\``);
  if (node.secret === true) notes.push("secret: use `${ENV_VAR}`, never logged");
  return notes;
}

function describeDefault(node: SchemaNode): string {
  if (node.default === undefined) return "";
  if (typeof node.default === "object" && node.default !== null) {
    const empty = Array.isArray(node.default)
      ? node.default.length === 0
      : Object.keys(node.default).length === 0;
    if (empty) return "";
  }
  return "`" + JSON.stringify(node.default) + "`";
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function collect(node: SchemaNode, path: string, rows: Row[]): void {
  const notes = [node.description ?? "", ...constraints(node)].filter((note) => note !== "");
  rows.push({
    path,
    type: typeName(node),
    defaultValue: describeDefault(node),
    notes: notes.map(escapeCell).join("; "),
  });
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    collect(child, `${path}.${key}`, rows);
  }
  for (const child of Object.values(node.patternProperties ?? {})) {
    collect(child, `${path}.<name>`, rows);
  }
  if (node.items !== undefined) {
    if (node.items.properties !== undefined) {
      for (const [key, child] of Object.entries(node.items.properties)) {
        collect(child, `${path}[].${key}`, rows);
      }
    }
    for (const variant of node.items.anyOf ?? node.items.oneOf ?? []) {
      for (const [key, child] of Object.entries(variant.properties ?? {})) {
        if (!rows.some((row) => row.path === `${path}[].${key}`))
          collect(child, `${path}[].${key}`, rows);
      }
    }
  }
  for (const variant of node.anyOf ?? node.oneOf ?? []) {
    for (const [key, child] of Object.entries(variant.properties ?? {})) {
      if (!rows.some((row) => row.path === `${path}.${key}`))
        collect(child, `${path}.${key}`, rows);
    }
  }
}

/** Markdown for docs/config-reference.md: one table per top-level section. */
export function configReferenceMarkdown(): string {
  const lines = [
    "# Configuration reference",
    "",
    "Generated from the config schema (`src/config/schema/`) by `npm run docs:config`; a test",
    "fails when this file and the schema disagree. Every key is optional unless its section says",
    "otherwise; see [configuration.md](configuration.md) for the file format, `${VAR}` secrets and",
    "environment overrides, and [../examples/driftwatch.yaml](../examples/driftwatch.yaml) for an example.",
    "",
  ];
  const root = ConfigSchema as unknown as SchemaNode;
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    const rows: Row[] = [];
    collect(node, section, rows);
    lines.push(`## \`${section}\``, "");
    if (node.description !== undefined) lines.push(escapeCell(node.description), "");
    lines.push("| key | type | default | notes |", "| --- | --- | --- | --- |");
    for (const row of rows.slice(1)) {
      lines.push(`| \`${row.path}\` | ${row.type} | ${row.defaultValue} | ${row.notes} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
