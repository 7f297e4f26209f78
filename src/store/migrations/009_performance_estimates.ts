// Migration 9: performance_results rows of estimates made before labels arrive (metric
// estimated_<metric>) carry the estimate's sampling-error band, the reference's band for windows
// of that size and the estimate's verdict. Added columns with defaults (old rows and realized
// metrics read NaN and 0); DESIGN's columns are unchanged.
import type { Migration } from "./migration.js";

const TABLE = "performance_results";

export const performanceEstimates: Migration = {
  version: 9,
  name: "performance_results: estimate bands and reference thresholds",
  statements: () => [],
  addColumns: [
    { table: TABLE, name: "band_lower", definition: "Float64 DEFAULT nan" },
    { table: TABLE, name: "band_upper", definition: "Float64 DEFAULT nan" },
    { table: TABLE, name: "threshold_lower", definition: "Float64 DEFAULT nan" },
    { table: TABLE, name: "threshold_upper", definition: "Float64 DEFAULT nan" },
    { table: TABLE, name: "alert", definition: "UInt8 DEFAULT 0" },
  ],
};
