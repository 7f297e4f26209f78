// The demo's retrain pipeline endpoint: receives driftwatch's signed retrain webhook, refuses
// requests whose HMAC signature does not verify (verifySignature from the alerts module) and
// deduplicates on Idempotency-Key.
import { verifySignature } from "../../alerts/index.js";
import { HttpSink, type SinkAnswer, type SinkRequest } from "./http-sink.js";

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
  private readonly http = new HttpSink((request) => this.handle(request));

  constructor(private readonly secret: string) {}

  get url(): string {
    return `${this.http.url}/retrain`;
  }

  start(): Promise<void> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(request: SinkRequest): Promise<SinkAnswer> {
    if (request.method !== "POST" || request.path !== "/retrain") {
      return { status: 404, body: { error: "not found" } };
    }
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const verdict = verifySignature({
      secret: this.secret,
      body: request.body,
      signature: header("x-driftwatch-signature"),
      timestamp: header("x-driftwatch-timestamp"),
      toleranceSeconds: 300,
    });
    if (!verdict.ok) {
      this.refused.push(verdict.reason);
      return { status: 401, body: { error: `signature ${verdict.reason}` } };
    }
    const key = header("idempotency-key") ?? "";
    if (this.calls.some((call) => call.idempotencyKey === key && key !== "")) {
      return { status: 200, body: { duplicate: true } };
    }
    const payload = JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
    this.calls.push({
      requestId: String(payload.request_id ?? ""),
      model: String(payload.model ?? ""),
      modelVersion: String(payload.model_version ?? ""),
      reason: String(payload.reason ?? ""),
      source: String(payload.source ?? ""),
      idempotencyKey: key,
      at: Date.now(),
    });
    return { status: 202, body: { accepted: true } };
  }
}
