// A local server speaking the part of the Slack Web API driftwatch uses: POST
// /api/chat.postMessage with a bearer token, form-encoded or JSON, answering {ok, ts, channel}.
// It can require one token (invalid_auth otherwise) and its script can answer 429 with
// Retry-After, 5xx, or a Slack error; the demo's Slack and the tests' Slack are this server.
import {
  HttpReceiver,
  json,
  type RecordedRequest,
  type ScriptedResponse,
} from "./http-receiver.js";

export interface SlackCall {
  readonly token: string | undefined;
  readonly channel: string;
  readonly text: string;
  readonly threadTs: string | undefined;
  readonly blocks: Record<string, unknown>[];
  readonly at: number;
}

/** Lifecycle as HttpReceiver's: start(port?), stop(), start(old port) again. */
export class SlackApiServer {
  readonly http = new HttpReceiver();
  /** Answers for the next calls, in order (then: ok, or a Slack error for a bad token). */
  readonly script: ScriptedResponse[] = [];
  /** The calls it accepted (answered ok: true), in order. */
  readonly messages: SlackCall[] = [];

  /** `options.token`: the only bearer token accepted (default: any token). */
  constructor(private readonly options: { readonly token?: string } = {}) {
    this.http.responder = (request) => this.answer(request);
  }

  /** Listen on `port` (default a free one); resolves with the API base URL (`apiUrl`). */
  async start(port = 0): Promise<string> {
    await this.http.start(port);
    return this.apiUrl;
  }

  /** The base URL to configure as `alerts.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.http.url}/api/`;
  }

  /** Parsed chat.postMessage calls (every attempt, including refused ones). */
  get calls(): SlackCall[] {
    return this.http.to("/api/chat.postMessage").map(parseCall);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private answer(request: RecordedRequest): ScriptedResponse {
    const scripted = this.script.shift();
    if (scripted !== undefined) return scripted;
    if (request.path.split("?")[0] !== "/api/chat.postMessage") {
      return json({ ok: false, error: "unknown_method" });
    }
    const call = parseCall(request);
    if (call.token === undefined) return json({ ok: false, error: "not_authed" });
    if (this.options.token !== undefined && call.token !== this.options.token) {
      return json({ ok: false, error: "invalid_auth" });
    }
    this.messages.push(call);
    const ts = `1700000000.${String(this.messages.length).padStart(6, "0")}`;
    return json({ ok: true, channel: "C0123456", ts, message: { text: call.text } });
  }
}

function parseCall(request: RecordedRequest): SlackCall {
  const type = String(request.headers["content-type"] ?? "");
  let fields: Record<string, unknown>;
  if (type.includes("application/json")) {
    fields = JSON.parse(request.body) as Record<string, unknown>;
  } else {
    fields = Object.fromEntries(new URLSearchParams(request.body));
  }
  const blocks =
    typeof fields.blocks === "string" ? JSON.parse(fields.blocks) : (fields.blocks ?? []);
  const auth = request.headers.authorization;
  return {
    token: auth?.startsWith("Bearer ")
      ? auth.slice(7)
      : typeof fields.token === "string"
        ? fields.token
        : undefined,
    channel: String(fields.channel ?? ""),
    text: String(fields.text ?? ""),
    threadTs: typeof fields.thread_ts === "string" ? fields.thread_ts : undefined,
    blocks: blocks as Record<string, unknown>[],
    at: request.at,
  };
}
