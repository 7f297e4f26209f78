// Driving an engine through simulated time: move a ManualClock from event to event (retry
// wake-ups, due groups), letting real I/O with the peers finish between steps.
import type { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import type { ManualClock } from "../../../alerts/time/manual-clock.js";

/** Wait (real time) until every delivery in progress is asleep between retries or done. */
export async function quiescent(engine: AlertEngine): Promise<void> {
  for (let spins = 0; spins < 2000; spins++) {
    const { active, waiting } = engine.deliveries;
    if (active === waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`deliveries did not settle: ${JSON.stringify(engine.deliveries)}`);
}

/** Advance simulated time to `end`, stopping at every retry wake-up and due group on the way. */
export async function runUntil(
  engine: AlertEngine,
  clock: ManualClock,
  end: number,
): Promise<void> {
  for (;;) {
    await quiescent(engine);
    const next = Math.min(clock.nextWakeAt() ?? Infinity, engine.nextDueAt() ?? Infinity, end);
    if (next < clock.now()) throw new Error("time went backwards");
    clock.set(next);
    engine.tick(next);
    await quiescent(engine);
    if (
      next >= end &&
      (clock.nextWakeAt() ?? Infinity) > end &&
      (engine.nextDueAt() ?? Infinity) > end
    )
      return;
  }
}
