// A local server speaking the part of the Slack Web API driftwatch uses: POST
// /api/chat.postMessage with a bearer token, form-encoded or JSON, answering {ok, ts, channel}.
// Its script can answer 429 with Retry-After, 5xx, or a Slack error such as invalid_auth.
import { HttpReceiver, type RecordedRequest, type ScriptedResponse } from "./http-receiver.js";

export interface SlackCall {
  readonly token: string | undefined;
  readonly channel: string;
  readonly text: string;
  readonly threadTs: string | undefined;
  readonly blocks: Record<string, unknown>[];
  readonly at: number;
}

export class SlackApiServer {
  readonly http = new HttpReceiver();
  private messages = 0;
  /** Answers for the next calls, in order (then: ok). */
  readonly script: ScriptedResponse[] = [];

  /** Listen on `port` (default a free one; a stopped server can come back on its old port). */
  async start(port = 0): Promise<string> {
    this.http.responder = (request) => this.answer(request);
    await this.http.start(port);
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
    const call = parseCall(request);
    if (call.token === undefined) return json({ ok: false, error: "not_authed" });
    this.messages++;
    const ts = `1700000000.${String(this.messages).padStart(6, "0")}`;
    return json({ ok: true, channel: "C0123456", ts, message: { text: call.text } });
  }
}

export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): ScriptedResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
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
