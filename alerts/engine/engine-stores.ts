// The alert engine's persistence: alert states, silences, the delivery log and retrain requests,
// each in its ClickHouse table of the engine's database.
import type { Clock } from "../time/clock.js";
import type { Logger } from "../../src/util/index.js";
import type { SqlEngine } from "../../src/store/index.js";
import { RetrainStore } from "../retrain/retrain-store.js";
import { AlertStateStore } from "../store/alert-state-store.js";
import { DeliveryLogStore } from "../store/delivery-log-store.js";
import { SilenceStore } from "../store/silence-store.js";

export interface EngineStores {
  readonly state: AlertStateStore;
  readonly silences: SilenceStore;
  readonly deliveries: DeliveryLogStore;
  readonly retrain: RetrainStore;
}

export function openEngineStores(
  store: { readonly engine: SqlEngine; readonly database: string },
  clock: Clock,
  logger?: Logger,
): EngineStores {
  const { engine, database } = store;
  return {
    state: new AlertStateStore(engine, database),
    silences: new SilenceStore(engine, database, {
      ...(logger !== undefined ? { logger } : {}),
      clock,
    }),
    deliveries: new DeliveryLogStore(engine, database),
    retrain: new RetrainStore(engine, database),
  };
}
