// The command-line flags of `check` that shape reading and chunking, turned into options (each
// bad value a CheckInputError naming the flag, so the CLI exits 2 before reading anything).
import { parsePeriod } from "./chunks/period.js";
import type { ChunkSpec } from "./chunks/row-chunker.js";
import { parseDelimiter } from "./delimiter.js";
import { CheckInputError } from "./errors.js";
import {
  type PerformanceFlagValues,
  type PerformanceSpec,
  performanceFromFlags,
} from "./performance/performance-flags.js";
import { parseByteSize, parsePositiveInteger, type ReadOptions } from "./read-options.js";

export interface CheckFlagValues extends PerformanceFlagValues {
  naValues?: readonly string[];
  delimiter?: string;
  maxColumns?: string;
  maxLineBytes?: string;
  chunkSize?: string;
  chunkBy?: string;
  chunkPeriod?: string;
}

export interface FlagOptions {
  read: Partial<ReadOptions>;
  chunks?: ChunkSpec;
  performance?: PerformanceSpec;
}

function chunkSpec(flags: CheckFlagValues): ChunkSpec | undefined {
  const { chunkSize, chunkBy, chunkPeriod } = flags;
  if (chunkSize !== undefined && (chunkBy !== undefined || chunkPeriod !== undefined)) {
    throw new CheckInputError(
      "--chunk-size cuts by rows, --chunk-by/--chunk-period by time: give one or the other",
    );
  }
  if (chunkSize !== undefined) {
    return { kind: "size", size: parsePositiveInteger("--chunk-size", chunkSize) };
  }
  if (chunkBy === undefined && chunkPeriod === undefined) return undefined;
  if (chunkBy === undefined || chunkBy.trim() === "") {
    throw new CheckInputError("--chunk-period needs --chunk-by COLUMN (the time column)");
  }
  if (chunkPeriod === undefined) {
    throw new CheckInputError("--chunk-by needs --chunk-period (e.g. --chunk-period 1d)");
  }
  return { kind: "period", column: chunkBy, period: parsePeriod(chunkPeriod) };
}

export function optionsFromFlags(flags: CheckFlagValues): FlagOptions {
  const read: Partial<ReadOptions> = {};
  if (flags.naValues !== undefined) read.naValues = flags.naValues;
  if (flags.delimiter !== undefined) read.delimiter = parseDelimiter(flags.delimiter);
  if (flags.maxColumns !== undefined) {
    read.maxColumns = parsePositiveInteger("--max-columns", flags.maxColumns);
  }
  if (flags.maxLineBytes !== undefined) {
    read.maxLineBytes = parseByteSize("--max-line-bytes", flags.maxLineBytes);
  }
  const chunks = chunkSpec(flags);
  const performance = performanceFromFlags(flags);
  return {
    read,
    ...(chunks === undefined ? {} : { chunks }),
    ...(performance === undefined ? {} : { performance }),
  };
}
