// Class labels as callers pass them (numbers or strings, plain or typed arrays) checked and
// encoded for counting: binary labels to 0/1 flags against the positive label, multiclass
// labels to indices into an ordered class list (sorted like numpy's unique unless given).

import { PerformanceInputError } from "./errors.js";

/** A class label. 1 and "1" are different labels, as in numpy. */
export type Label = number | string;

/** Labels of one window, one per row. */
export type LabelArray = ArrayLike<Label>;

/**
 * Throw unless a label is a finite number or a string of `expectedType`; `typeSource` says
 * where that type comes from (e.g. "options.positiveLabel is a number").
 */
function checkLabel(
  value: unknown,
  field: string,
  index: number,
  expectedType: string,
  typeSource: string,
): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new PerformanceInputError(
        `${field}[${index}]`,
        `label ${value} is not a finite number`,
      );
    }
  } else if (typeof value !== "string") {
    throw new PerformanceInputError(
      `${field}[${index}]`,
      `label must be a number or a string, got ${value === null ? "null" : typeof value}`,
    );
  }
  if (typeof value !== expectedType) {
    throw new PerformanceInputError(
      `${field}[${index}]`,
      `label ${JSON.stringify(value)} is a ${typeof value} but ${typeSource}`,
    );
  }
}

function describeLabels(labels: Iterable<Label>): string {
  return [...labels].map((label) => JSON.stringify(label)).join(", ");
}

/**
 * The distinct labels of some label arrays (each checked), in first-seen order.
 * `expectedType` is the JS type all labels must share ("number" or "string"); `typeSource`
 * says why, for the error message.
 */
export function distinctLabels(
  arrays: ReadonlyArray<{ field: string; labels: LabelArray }>,
  expectedType: string,
  typeSource: string,
): Set<Label> {
  const seen = new Set<Label>();
  for (const { field, labels } of arrays) {
    for (let i = 0; i < labels.length; i += 1) {
      const value = labels[i];
      if (!seen.has(value as Label)) {
        checkLabel(value, field, i, expectedType, typeSource);
        seen.add(value as Label);
      }
    }
  }
  return seen;
}

/** The JS type of the first label found ("number" when there is none) and where it was found. */
export function firstLabelType(arrays: ReadonlyArray<{ field: string; labels: LabelArray }>): {
  type: string;
  source: string;
} {
  for (const { field, labels } of arrays) {
    if (labels.length > 0) {
      const type = typeof labels[0];
      return { type, source: `${field}[0] is a ${type}` };
    }
  }
  return { type: "number", source: "labels are numbers" };
}

/**
 * Check that binary labels hold at most two classes, one of them the positive label when there
 * are two. Throws PerformanceInputError naming `field`.
 */
export function checkBinaryLabelSet(
  labels: ReadonlySet<Label>,
  positiveLabel: Label,
  field: string,
): void {
  if (labels.size > 2) {
    throw new PerformanceInputError(
      field,
      `binary task but ${labels.size} distinct labels found (${describeLabels(labels)})`,
    );
  }
  if (labels.size === 2 && !labels.has(positiveLabel)) {
    throw new PerformanceInputError(
      field,
      `the positive label ${JSON.stringify(positiveLabel)} is not among the labels (${describeLabels(labels)})`,
    );
  }
}

/** 1 where the label equals the positive label, else 0. */
export function encodePositives(labels: LabelArray, positiveLabel: Label): Uint8Array {
  const flags = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i += 1) flags[i] = labels[i] === positiveLabel ? 1 : 0;
  return flags;
}

/** Labels sorted as numpy's unique sorts them: numbers ascending, strings by code unit. */
export function sortLabels(labels: Iterable<Label>): Label[] {
  return [...labels].sort((left, right) => {
    if (typeof left === "number" && typeof right === "number") return left - right;
    const leftText = String(left);
    const rightText = String(right);
    return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
  });
}

/** Index of each row's label in `classes`; throws naming the row if a label is not a class. */
export function encodeClassIndices(
  labels: LabelArray,
  classIndex: ReadonlyMap<Label, number>,
  field: string,
): Int32Array {
  const indices = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i += 1) {
    const index = classIndex.get(labels[i]);
    if (index === undefined) {
      throw new PerformanceInputError(
        `${field}[${i}]`,
        `label ${JSON.stringify(labels[i])} is not one of the classes (${describeLabels(classIndex.keys())})`,
      );
    }
    indices[i] = index;
  }
  return indices;
}
