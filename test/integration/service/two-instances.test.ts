// Two `serve` processes on one database and one Kafka group: exactly one is the evaluator
// (driftwatch_evaluator), every due window is evaluated once across both, and when the evaluator
// is killed with SIGKILL the other takes the role over and goes on evaluating, still once each.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { sql, tableRef } from "../../../src/store/index.js";
import type { Child } from "../../support/cli.js";
import { waitFor } from "../../support/clock.js";
import {
  createServeTestEnv,
  killServeChildren,
  logLines,
  postEvents,
  scrapeSamples,
  type ServeChild,
  type ServeTestEnv,
  startServe,
} from "../../support/serve.js";

const INTERVAL_MS = 10_000;
const DAY_MS = 86_400_000;
/** monitor.electionSessionTimeout: how long a dead evaluator holds on (the broker's minimum). */
const SESSION_TIMEOUT_MS = 6_000;
/** monitor.tickInterval: passes are this far apart (a newly elected evaluator starts one at once). */
const TICK_MS = 5_000;

let env: ServeTestEnv | undefined;

afterEach(killServeChildren);

afterAll(async () => {
  await env?.cleanup();
});

function event(model: string, id: string, timestamp: number, i: number): object {
  return {
    event_id: id,
    model,
    model_version: "1",
    timestamp,
    features: { x: ((i * 37) % 101) / 101, region: ["EU", "US", "APAC"][i % 3] },
    prediction: ((i * 13) % 100) / 100,
  };
}

async function isEvaluator(child: ServeChild): Promise<boolean> {
  const found = await scrapeSamples(child, "driftwatch_evaluator");
  expect(found).toHaveLength(1);
  return found[0]!.value === 1;
}

/** Evaluations per window start (epoch s) as recorded in evaluated_windows (merges stopped). */
async function windowRecords(
  environment: ServeTestEnv,
  model: string,
): Promise<Map<number, number>> {
  const rows = await environment.engine.query<{ w: number; n: number }>(
    sql`SELECT toUInt32(window_start) AS w, count() AS n
  FROM ${tableRef(environment.database, "evaluated_windows")}
  WHERE model = ${model} AND model_version = '1' GROUP BY w ORDER BY w`,
  );
  return new Map(rows.map((row) => [Number(row.w), Number(row.n)]));
}

/** Window starts (epoch s) a process logged as evaluated. */
function evaluatedBy(child: Child, model: string): number[] {
  return evaluationTimes(child, model).map((evaluation) => evaluation.window);
}

/** The same with when (epoch ms) each evaluation was logged. */
function evaluationTimes(child: Child, model: string): { window: number; time: number }[] {
  return logLines(child, "window evaluated")
    .filter((line) => line.model === model)
    .map((line) => ({ window: Number(line.windowStart) / 1000, time: Number(line.time) }));
}

/** When (epoch ms) a process logged that it became the evaluator. */
function electedAt(child: Child): number[] {
  return logLines(child, "evaluator election")
    .filter((line) => line.evaluator === true)
    .map((line) => Number(line.time));
}

interface Evaluations {
  /** Evaluations per window start (epoch s) in evaluated_windows. */
  readonly records: Map<number, number>;
  /** Window starts each instance logged as evaluated, read right after the records. */
  readonly logged: number[][];
}

/**
 * Wait until `ready` holds and the processes are between evaluations: every stored evaluation was
 * logged by one of them and nothing else was (the log line follows the rows), and nothing changed
 * for `quietMs` (a pass evaluates its windows back to back; passes are TICK_MS apart).
 */
async function settled(
  environment: ServeTestEnv,
  model: string,
  instances: readonly Child[],
  ready: (state: Evaluations) => boolean,
  options: { readonly timeoutMs: number; readonly quietMs?: number },
): Promise<Evaluations> {
  let previous = "";
  let since = Date.now();
  const consistent = await waitFor(
    "evaluations stored and logged",
    async () => {
      const state: Evaluations = {
        records: await windowRecords(environment, model),
        logged: instances.map((child) => evaluatedBy(child, model)),
      };
      const seen = JSON.stringify([[...state.records], state.logged]);
      if (seen !== previous) [previous, since] = [seen, Date.now()];
      return { state, quietFor: Date.now() - since };
    },
    ({ state, quietFor }) => {
      const logged = state.logged.flat();
      return (
        ready(state) &&
        logged.length === [...state.records.values()].reduce((sum, n) => sum + n, 0) &&
        logged.every((w) => state.records.has(w)) &&
        quietFor >= (options.quietMs ?? 0)
      );
    },
    options.timeoutMs,
  );
  return consistent.state;
}

describe("two serve instances", () => {
  it("evaluate each window once, and the survivor takes over when the evaluator is killed", async () => {
    env = await createServeTestEnv("svc_two");
    const environment = env;
    // Every evaluation stays a row of its own: no background merge may fold a duplicate away.
    for (const table of ["evaluated_windows", "drift_results"]) {
      await env.engine.command(sql`SYSTEM STOP MERGES ${tableRef(env.database, table)}`);
    }
    const model = `svc-two-${randomBytes(3).toString("hex")}`;
    // labelDelay 0s: performance is evaluated with the window's first evaluation, so no window is
    // due a second time (no labels are sent, so none is due for late labels either).
    const config = env.writeConfig(`alerts: { enabled: false }
monitor: { tickInterval: ${TICK_MS / 1000}s, electionSessionTimeout: ${SESSION_TIMEOUT_MS / 1000}s }
models:
  - name: ${model}
    interval: 10s
    labelDelay: 0s
    minRows: 10
    backfillWindows: 60
`);
    const [first, second] = await Promise.all([startServe(config), startServe(config)]);
    const instances = [first!, second!];

    const evaluatorIndex = async () => {
      const flags = await Promise.all(instances.map((child) => isEvaluator(child)));
      return flags.filter(Boolean).length === 1 ? flags.indexOf(true) : -1;
    };
    // Both are ready, so both joined the election group; the same single evaluator on two reads a
    // heartbeat period apart means the membership has settled.
    const leaderIndex = await waitFor(
      "one evaluator, the same on two reads",
      async () => {
        const seen = await evaluatorIndex();
        if (seen < 0) return -1;
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        return (await evaluatorIndex()) === seen ? seen : -1;
      },
      (index) => index >= 0,
      60_000,
    );
    const leader = instances[leaderIndex]!;
    const survivor = instances[1 - leaderIndex]!;

    // A reference a day back (outside the 60 windows planned, inside the 7-day rolling reference)
    // and 20 events in each of the last six 10 s windows: all of those are due at once.
    const now = Date.now();
    const lastEnd = Math.floor(now / INTERVAL_MS) * INTERVAL_MS;
    const events: object[] = [];
    for (let i = 0; i < 200; i++)
      events.push(event(model, `ref-${i}`, now - DAY_MS + i * 1_000, i));
    for (let i = 0; i < 120; i++) {
      events.push(event(model, `win-${i}`, lastEnd - 6 * INTERVAL_MS + i * 500, i));
    }
    await postEvents(leader, events);
    await waitFor(
      "every event stored",
      async () => {
        const rows = await environment.engine.query<{ n: number }>(
          sql`SELECT uniqExact(event_id) AS n FROM ${tableRef(environment.database, "predictions")} WHERE model = ${model}`,
        );
        return Number(rows[0]?.n ?? 0);
      },
      (n) => n === events.length,
      30_000,
    );
    const firstWindow = (lastEnd - 6 * INTERVAL_MS) / 1000;

    // The evaluator's next pass evaluates the six windows (and the empty ones completed since).
    // The kill comes after that pass, between passes: a process killed inside a window's
    // evaluation leaves that window's first rows behind, to be written again by the next evaluator
    // (evaluated_windows, written last, still once) — not what this test is about.
    const beforeKill = await settled(
      environment,
      model,
      instances,
      ({ records }) => records.size >= 6,
      { timeoutMs: TICK_MS + 30_000, quietMs: 3_000 },
    );
    expect(beforeKill.logged[1 - leaderIndex]).toEqual([]);
    expect(await isEvaluator(survivor)).toBe(false);

    const killedAt = Date.now();
    leader.process.kill("SIGKILL");
    expect(await leader.exited).toBe("SIGKILL");

    // Kafka notices the dead member after the session timeout and hands the partition over.
    await waitFor(
      "the survivor to become the evaluator",
      () => isEvaluator(survivor),
      (evaluator) => evaluator,
      SESSION_TIMEOUT_MS + 20_000,
    );
    // Windows that end after the kill are the survivor's, from its next pass on.
    const { records, logged } = await settled(
      environment,
      model,
      instances,
      (state) =>
        state.logged[1 - leaderIndex]!.filter((w) => w * 1000 + INTERVAL_MS > killedAt).length >= 2,
      { timeoutMs: TICK_MS + 30_000 },
    );

    // Every 10 s window from the first with events to the last evaluated, each exactly once…
    const windows = [...records.keys()];
    const lastWindow = Math.max(...windows);
    const expected: number[] = [];
    for (let w = firstWindow; w <= lastWindow; w += INTERVAL_MS / 1000) expected.push(w);
    expect(windows).toEqual(expected);
    expect([...records.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // (A later window may be under evaluation by now: its drift rows are not counted.)
    const rowCounts = await environment.engine.query<{ w: number; n: number }>(
      sql`SELECT toUInt32(window_start) AS w, count() AS n
  FROM ${tableRef(environment.database, "drift_results")}
  WHERE model = ${model} AND feature = '_dataset' AND metric = 'row_count'
    AND window_start <= toDateTime(${lastWindow}) GROUP BY w ORDER BY w`,
    );
    expect(rowCounts.map((row) => [Number(row.w), Number(row.n)])).toEqual(
      expected.map((w) => [w, 1]),
    );
    // …by one instance or the other, never both: the killed one until the kill, then the survivor.
    const byLeader = logged[leaderIndex]!;
    const bySurvivor = logged[1 - leaderIndex]!;
    expect(byLeader).toEqual(beforeKill.logged[leaderIndex]);
    expect([...byLeader, ...bySurvivor].sort((a, b) => a - b)).toEqual(expected);
    expect(Math.max(...byLeader)).toBeLessThan(Math.min(...bySurvivor));
    // Each evaluated only while elected: the leader after its election, the survivor after the
    // election it won once the leader was dead.
    const leaderElected = Math.min(...electedAt(leader));
    expect(evaluationTimes(leader, model).every(({ time }) => time >= leaderElected)).toBe(true);
    const tookOverAt = Math.max(...electedAt(survivor));
    expect(tookOverAt).toBeGreaterThan(killedAt);
    expect(evaluationTimes(survivor, model).every(({ time }) => time >= tookOverAt)).toBe(true);
  }, 150_000);
});
