// Deterministic fault points for the fault-injection suite. Production never sets
// DRIFTWATCH_TEST_HOOKS, and then every hook is a no-op that costs one branch.
//
//   DRIFTWATCH_TEST_HOOKS="ingest.stored=kill@3,monitor.results-written=pause"
//
// At its Nth arrival (default the first) a point's action runs:
// - `kill`: the process SIGKILLs itself there (a crash at exactly that point);
// - `pause`: it prints the marker and waits until the file named by DRIFTWATCH_TEST_HOOKS_RESUME
//   exists (the test does something, e.g. kills a server, then creates the file).
// Every arrival at a configured point prints `driftwatch-test-hook <point> <count>` on stderr.
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** The fault points the product offers (grep for `testHook(` to see where each sits). */
export const TEST_HOOK_POINTS = [
  "ingest.inserting", // an INSERT of the ingester is about to be sent
  "ingest.stored", // every insert of a batch acknowledged, offsets not yet committed
  "ingest.committed", // a batch's offsets committed
  "monitor.results-written", // a window's results stored, the window not yet recorded as evaluated
] as const;
export type TestHookPoint = (typeof TEST_HOOK_POINTS)[number];

interface HookPlan {
  readonly action: "kill" | "pause";
  readonly at: number;
}

function parsePlans(text: string | undefined): Map<string, HookPlan> {
  const plans = new Map<string, HookPlan>();
  if (text === undefined || text.trim() === "") return plans;
  for (const item of text.split(",")) {
    const match = /^\s*([a-z.-]+)=(kill|pause)(?:@(\d+))?\s*$/.exec(item);
    if (match === null || !(TEST_HOOK_POINTS as readonly string[]).includes(match[1]!)) {
      throw new Error(
        `DRIFTWATCH_TEST_HOOKS: cannot read ${JSON.stringify(item)} (point=kill|pause[@n], points: ${TEST_HOOK_POINTS.join(", ")})`,
      );
    }
    plans.set(match[1]!, { action: match[2] as "kill" | "pause", at: Number(match[3] ?? 1) });
  }
  return plans;
}

const plans = parsePlans(process.env.DRIFTWATCH_TEST_HOOKS);
const arrivals = new Map<string, number>();

/** Whether any hook is configured (to keep the hot paths free of awaits otherwise). */
export const testHooksActive = plans.size > 0;

/** Arrive at fault point `point`; resolves at once unless a test configured it. */
export async function testHook(point: TestHookPoint): Promise<void> {
  const plan = plans.get(point);
  if (plan === undefined) return;
  const count = (arrivals.get(point) ?? 0) + 1;
  arrivals.set(point, count);
  process.stderr.write(`driftwatch-test-hook ${point} ${count}\n`);
  if (count !== plan.at) return;
  if (plan.action === "kill") {
    process.kill(process.pid, "SIGKILL");
    await sleep(60_000); // never returns: the signal ends the process
    return;
  }
  const resume = process.env.DRIFTWATCH_TEST_HOOKS_RESUME;
  if (resume === undefined)
    throw new Error("DRIFTWATCH_TEST_HOOKS: pause needs DRIFTWATCH_TEST_HOOKS_RESUME");
  while (!existsSync(resume)) await sleep(50);
}
