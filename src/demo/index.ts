// Public surface of the demo (`driftwatch demo`).
export { runDemo, type DemoOptions } from "./run-demo.js";
