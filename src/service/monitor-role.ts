// The monitor role: the monitoring engine (scheduled window evaluation, Prometheus series, alert
// engine) on the shared registry and ClickHouse engine.
import { createMonitor } from "../monitor/index.js";
import type { RoleStarter, RunningRole } from "./role.js";

export const startMonitorRole: RoleStarter = async (context): Promise<RunningRole> => {
  const monitor = createMonitor({
    config: context.config,
    engine: context.engine,
    kafka: context.kafka,
    registry: context.registry,
    logger: context.logger.child({ role: "monitor" }),
  });
  await monitor.start();
  return {
    name: "monitor",
    readiness: () => "",
    // Evaluation failures are logged, counted and retried on the next tick: never fatal.
    onFatal: () => undefined,
    stop: async () => {
      await monitor.stop();
      return true;
    },
  };
};
