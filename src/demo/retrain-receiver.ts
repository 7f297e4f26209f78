// The demo's retrain pipeline endpoint: receives driftwatch's signed retrain webhook, refuses
// requests whose HMAC signature does not verify (verifySignature from the alerts module) and
// deduplicates on Idempotency-Key.
import { verifySignature } from "../../alerts/index.js";
import { HttpReceiver, json, type RecordedRequest, type ScriptedResponse } from "./peers/index.js";

export interface RetrainCall {
  readonly requestId: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly reason: string;
  readonly source: string;
  readonly idempotencyKey: string;
  readonly at: number;
}

export class RetrainReceiver {
  readonly calls: RetrainCall[] = [];
  /** Requests refused because their signature did not verify, with the reason. */
  readonly refused: string[] = [];
  private readonly http = new HttpReceiver((request) => this.handle(request));

  constructor(private readonly secret: string) {}

  get url(): string {
    return `${this.http.url}/retrain`;
  }

  async start(): Promise<void> {
    await this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private handle(request: RecordedRequest): ScriptedResponse {
    if (request.method !== "POST" || request.path.split("?")[0] !== "/retrain") {
      return json({ error: "not found" }, 404);
    }
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const verdict = verifySignature({
      secret: this.secret,
      body: request.rawBody,
      signature: header("x-driftwatch-signature"),
      timestamp: header("x-driftwatch-timestamp"),
      toleranceSeconds: 300,
    });
    if (!verdict.ok) {
      this.refused.push(verdict.reason);
      return json({ error: `signature ${verdict.reason}` }, 401);
    }
    const key = header("idempotency-key") ?? "";
    if (this.calls.some((call) => call.idempotencyKey === key && key !== "")) {
      return json({ duplicate: true });
    }
    const payload = JSON.parse(request.body) as Record<string, unknown>;
    this.calls.push({
      requestId: String(payload.request_id ?? ""),
      model: String(payload.model ?? ""),
      modelVersion: String(payload.model_version ?? ""),
      reason: String(payload.reason ?? ""),
      source: String(payload.source ?? ""),
      idempotencyKey: key,
      at: Date.now(),
    });
    return json({ accepted: true }, 202);
  }
}
