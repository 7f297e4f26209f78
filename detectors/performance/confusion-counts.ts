// Per-class counts of a labelled window (true positives, predicted and actual rows per class):
// everything accuracy, precision, recall and F1 are computed from, for binary tasks too
// (class 0 = negative, class 1 = positive).

export interface ClassCounts {
  /** Rows in the window. */
  rows: number;
  /** Rows whose prediction equals their label, per class. */
  truePositives: Float64Array;
  /** Rows predicted as each class (TP + FP). */
  predicted: Float64Array;
  /** Rows labelled as each class (TP + FN), the class's support. */
  actual: Float64Array;
}

/** Count rows per class from class indices in [0, classCount). */
export function countByClass(
  trueClass: ArrayLike<number>,
  predictedClass: ArrayLike<number>,
  classCount: number,
): ClassCounts {
  const truePositives = new Float64Array(classCount);
  const predicted = new Float64Array(classCount);
  const actual = new Float64Array(classCount);
  for (let i = 0; i < trueClass.length; i += 1) {
    const label = trueClass[i];
    const prediction = predictedClass[i];
    actual[label] += 1;
    predicted[prediction] += 1;
    if (label === prediction) truePositives[label] += 1;
  }
  return { rows: trueClass.length, truePositives, predicted, actual };
}

/** Rows whose prediction equals the label, over all classes. */
export function correctRows(counts: ClassCounts): number {
  let correct = 0;
  for (const truePositives of counts.truePositives) correct += truePositives;
  return correct;
}
