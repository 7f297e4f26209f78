// The alert engine's background loop: tick (flush due groups) whenever something is due, and
// beside it — never blocking a flush — write state and the delivery log and re-read silences.
// It can be woken early (a batch made a group due) and never throws: errors are logged.
import type { Logger } from "../../src/util/index.js";
import type { Clock } from "../time/clock.js";

export interface LoopTasks {
  tick(now: number): void;
  persist(): Promise<void>;
  reloadSilences(): Promise<void>;
  /** When the next group becomes due (undefined: none waiting). */
  nextDueAt(): number | undefined;
}

export interface LoopTimings {
  readonly tickMs: number;
  readonly persistMs: number;
  readonly silenceReloadMs: number;
}

/** Reason given to the sleep when woken early (a preallocated Error: cheap). */
const WAKE = new Error("wake");

export class EngineLoop {
  private running?: Promise<void>;
  private stopped = false;
  private sleeping?: AbortController;
  private background?: Promise<void>;

  constructor(
    private readonly tasks: LoopTasks,
    private readonly timings: LoopTimings,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Run the next turn now instead of at the end of the current sleep. */
  wake(): void {
    const controller = this.sleeping;
    if (controller !== undefined && !controller.signal.aborted) controller.abort(WAKE);
  }

  /** End the loop and wait for its turn and background work to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    await this.background;
  }

  private async run(): Promise<void> {
    const { tickMs, persistMs, silenceReloadMs } = this.timings;
    let nextPersist = this.clock.now() + persistMs;
    let nextReload = this.clock.now() + silenceReloadMs;
    while (!this.stopped) {
      try {
        const now = this.clock.now();
        this.tasks.tick(now);
        if (this.background === undefined && (now >= nextPersist || now >= nextReload)) {
          const persist = now >= nextPersist;
          const reload = now >= nextReload;
          if (persist) nextPersist = now + persistMs;
          if (reload) nextReload = now + silenceReloadMs;
          this.background = (async () => {
            if (persist) await this.tasks.persist();
            if (reload) await this.tasks.reloadSilences();
          })()
            .catch((error: unknown) => {
              this.logger?.error(
                { err: (error as Error).message },
                "alert engine background write failed",
              );
            })
            .finally(() => {
              this.background = undefined;
            });
        }
        // While a background write runs, its next turn waits for the tick (no busy loop).
        const housekeeping =
          this.background === undefined ? Math.min(nextPersist, nextReload) : now + tickMs;
        const wakeAt = Math.min(now + tickMs, housekeeping, this.tasks.nextDueAt() ?? Infinity);
        this.sleeping = new AbortController();
        await this.clock
          .sleep(Math.max(0, wakeAt - now), this.sleeping.signal)
          .catch(() => undefined);
      } catch (error) {
        this.logger?.error({ err: (error as Error).message }, "alert engine loop error");
        await this.clock.sleep(tickMs).catch(() => undefined);
      }
    }
  }
}
