// Writes what the joiner settled since the last flush: dead letters to the DLQ topic and the
// dead_letters table, events to the predictions topic (keyed by event_id, acknowledged by all
// in-sync replicas). Each step is retried with backoff until it succeeds or the flush is
// abandoned (rebalance, shutdown): only then are the halves' offsets settled.
import { setTimeout as sleep } from "node:timers/promises";
import type { OutgoingRecord, Producer } from "../../kafka/index.js";
import type { SqlEngine } from "../../store/index.js";
import { qualifiedName } from "../../store/index.js";
import type { Logger } from "../../util/index.js";
import { backoffDelayMs, type BackoffPolicy } from "../backoff.js";
import { BatchAbandonedError } from "../batch-writer.js";
import type { DeadLetterSender } from "../dlq-sender.js";
import type { DeadLetterRow } from "../rows.js";

/** One flush: what to write, and the offsets it settles. */
export interface PairOutput {
  readonly events: OutgoingRecord[];
  readonly deadLetters: DeadLetterRow[];
  readonly dlqRecords: OutgoingRecord[];
  readonly settles: { partition: number; offset: number }[];
}

export function emptyOutput(): PairOutput {
  return { events: [], deadLetters: [], dlqRecords: [], settles: [] };
}

export interface PairWriterDependencies {
  readonly producer: Producer;
  readonly dlq: DeadLetterSender;
  readonly engine: SqlEngine;
  readonly database: string;
  readonly predictionsTopic: string;
  readonly retry: BackoffPolicy;
  readonly logger: Logger;
}

/** Events per produce request. */
const PRODUCE_CHUNK = 1_000;

export class PairWriter {
  private failing = false;

  constructor(private readonly deps: PairWriterDependencies) {}

  get isFailing(): boolean {
    return this.failing;
  }

  async write(output: PairOutput, abandon: AbortSignal): Promise<void> {
    const { deps } = this;
    if (output.dlqRecords.length > 0) {
      await this.untilDone("dlq_topic", abandon, () => deps.dlq.send(output.dlqRecords));
    }
    if (output.deadLetters.length > 0) {
      const target = qualifiedName(deps.database, "dead_letters");
      await this.untilDone("dead_letters", abandon, () =>
        deps.engine.insert(target, output.deadLetters),
      );
    }
    for (let start = 0; start < output.events.length; start += PRODUCE_CHUNK) {
      const chunk = output.events.slice(start, start + PRODUCE_CHUNK);
      await this.untilDone("predictions_topic", abandon, () =>
        deps.producer.send(deps.predictionsTopic, chunk),
      );
    }
  }

  private async untilDone(
    target: string,
    abandon: AbortSignal,
    attempt: () => Promise<void>,
  ): Promise<void> {
    for (let failures = 0; ; failures++) {
      if (abandon.aborted) throw new BatchAbandonedError(target);
      try {
        await attempt();
        if (this.failing) {
          this.failing = false;
          this.deps.logger.info({ target }, "inference join writes succeed again");
        }
        return;
      } catch (error) {
        this.failing = true;
        const delay = backoffDelayMs(this.deps.retry, failures);
        this.deps.logger[failures % 10 === 0 ? "warn" : "debug"](
          { err: error, target, failures: failures + 1, retryInMs: delay },
          "inference join write failed; retrying with backoff",
        );
        try {
          await sleep(delay, undefined, { signal: abandon });
        } catch {
          throw new BatchAbandonedError(target);
        }
      }
    }
  }
}
