// The parsed YAML file with its source positions: parsing, and finding the line/column of a path.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from "yaml";
import { ConfigError, type ConfigPath } from "./errors.js";

export interface YamlSource {
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Parse YAML text keeping positions; syntax errors become a ConfigError with line and column. */
export function parseYamlSource(text: string, file?: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          path: [],
          message: `invalid YAML: ${error.message.split("\n")[0]}`,
          line: position.line,
          column: position.col,
        };
      }),
      file,
    );
  }
  return { document, lineCounter };
}

/**
 * Position of the value at `path` (or of its key, with `at: "key"`). When the path does not
 * exist in the file (a missing key), the position of the deepest existing ancestor is returned.
 */
export function locatePath(
  source: YamlSource,
  path: ConfigPath,
  at: "value" | "key" = "value",
): SourcePosition | undefined {
  let node: unknown = source.document.contents;
  let lastKey: unknown;
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) break;
    node = next.value;
    lastKey = next.key;
  }
  const target = at === "key" && lastKey !== undefined ? lastKey : node;
  const offset = (target as Node | null | undefined)?.range?.[0];
  if (offset === undefined) return undefined;
  const position = source.lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}

function child(
  node: unknown,
  segment: string | number,
): { key?: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(segment)) return { key: pair.key, value: pair.value ?? pair.key };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}
