// Imports shared by the histogram tests (library surface plus the fixture types).
export {
  binCountsSorted,
  compareNumericHistogram,
  fineQuantileEdges,
  ksFromHistogram,
  referenceBinEdges,
  wassersteinFromHistogram,
} from "../../../../detectors/index.js";
export type { NumericExpected } from "./fixtures.js";
