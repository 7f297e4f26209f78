// Lets kafkajs fetch the next batches while the handler still works on earlier ones. kafkajs
// fetches again only after every batch of a fetch was handed over, so with a direct handler the
// broker round trip and the processing alternate; here delivery returns once a batch is queued
// (up to `capacity` waiting) and one loop runs the handler over the queue in order.
import type { BatchContext, BatchHandler, RecordBatch } from "./types.js";

interface Queued {
  readonly batch: RecordBatch;
  readonly context: BatchContext;
}

export class PrefetchQueue {
  private readonly queue: Queued[] = [];
  private wakeLoop?: () => void;
  private wakeDelivery?: () => void;
  /** A handler failure, thrown at the next delivery so kafkajs acts on it (e.g. rejoins). */
  private failure?: { error: unknown };
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly handler: BatchHandler,
    private readonly capacity: number,
  ) {
    this.loop = this.run();
  }

  /** Called by kafkajs for each batch: queue it, waiting while the queue is full. */
  async deliver(batch: RecordBatch, context: BatchContext): Promise<void> {
    this.throwFailure();
    if (!this.running) return;
    this.queue.push({ batch, context });
    this.wakeLoop?.();
    while (this.queue.length > this.capacity && this.running && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wakeDelivery = resolve));
    }
    this.throwFailure();
  }

  /** Drop queued batches (they belong to a group generation that ended). */
  clear(): void {
    this.queue.length = 0;
    this.wakeDelivery?.();
  }

  /** Stop the loop after the batch in hand; queued batches are dropped (never committed). */
  async stop(): Promise<void> {
    this.running = false;
    this.clear();
    this.wakeLoop?.();
    await this.loop;
  }

  private throwFailure(): void {
    if (this.failure === undefined) return;
    const { error } = this.failure;
    this.failure = undefined;
    throw error;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const next = this.queue.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => (this.wakeLoop = resolve));
        continue;
      }
      this.wakeDelivery?.();
      try {
        await this.handler(next.batch, next.context);
      } catch (error) {
        this.failure = { error };
        this.clear();
      }
    }
  }
}
