// The demo's stand-in for Slack: a local server speaking the part of the Slack Web API that
// driftwatch uses (POST /api/chat.postMessage with a bearer token), keeping every message.
import { HttpSink, type SinkAnswer, type SinkRequest } from "./http-sink.js";

export interface SlackMessage {
  readonly channel: string;
  readonly text: string;
  readonly threadTs?: string;
  readonly at: number;
}

export class SlackSink {
  readonly messages: SlackMessage[] = [];
  private readonly http = new HttpSink((request) => this.handle(request));

  constructor(private readonly token: string) {}

  /** The base URL to configure as `alerts.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.http.url}/api/`;
  }

  start(): Promise<void> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(request: SinkRequest): Promise<SinkAnswer> {
    if (request.path !== "/api/chat.postMessage") {
      return { status: 200, body: { ok: false, error: "unknown_method" } };
    }
    const type = String(request.headers["content-type"] ?? "");
    const text = request.body.toString("utf8");
    const fields: Record<string, unknown> = type.includes("application/json")
      ? (JSON.parse(text) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(text));
    const auth = request.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : String(fields.token ?? "");
    if (token !== this.token) return { status: 200, body: { ok: false, error: "invalid_auth" } };
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.messages.length + 1).padStart(6, "0")}`;
    this.messages.push({
      channel: String(fields.channel ?? ""),
      text: String(fields.text ?? ""),
      ...(typeof fields.thread_ts === "string" ? { threadTs: fields.thread_ts } : {}),
      at: Date.now(),
    });
    return {
      status: 200,
      body: { ok: true, channel: "C0DEMO", ts, message: { text: fields.text } },
    };
  }
}
