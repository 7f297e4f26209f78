// The monitor role: starts the scheduler (elected evaluation of due windows, Prometheus series,
// alert engine) of the process's one monitor, which the api role shares; stopping the role stops
// it (the api role never does).
import type { RoleStarter, RunningRole } from "./role.js";

export const startMonitorRole: RoleStarter = async (context): Promise<RunningRole> => {
  const monitor = context.monitor();
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
