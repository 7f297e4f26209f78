// What `stack up`, `stack down` and `stack status` report of one component.
import type { ComponentName, ComponentPort } from "./components.js";
import type { ServerOwner } from "./ownership.js";

export interface ComponentReport {
  readonly name: ComponentName;
  readonly title: string;
  readonly ports: readonly ComponentPort[];
  /** Answers its health check (ClickHouse /ping, Kafka metadata, Prometheus /-/ready). */
  readonly healthy: boolean;
  /** A process holds its main port or this stack directory's pid file names a live process. */
  readonly running: boolean;
  /** Started from this stack directory (so `stack down` stops it). */
  readonly managed: boolean;
  readonly pid?: number;
  /** Who the running server belongs to: this stack directory, another one, another program. */
  readonly owner?: ServerOwner;
  readonly version?: string;
  /**
   * up: started now, reused (this stack directory's) or adopted (another owner's, --adopt);
   * down: stopped or left running.
   */
  readonly action?: "started" | "reused" | "adopted" | "stopped" | "left running" | "not running";
  readonly warning?: string;
}
