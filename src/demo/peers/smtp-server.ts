// A real SMTP server (npm smtp-server) on loopback that keeps every message it receives, with a
// small MIME reader for the subject, recipients and the text and HTML parts; optionally it
// requires a login (and records every attempt). The demo's mail server and the tests' are this one.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly raw: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Record<string, string>;
  readonly at: number;
}

export interface SmtpLogin {
  readonly username: string;
  readonly password: string;
}

/**
 * Lifecycle: `start(port?)` listens (port 0: a free one) and resolves with the port, `stop()`
 * closes; a stopped peer can start again on its old port, keeping what it received.
 */
export class SmtpPeer {
  readonly mails: ReceivedMail[] = [];
  /** Every AUTH attempt, accepted or not. */
  readonly logins: SmtpLogin[] = [];
  private server?: SMTPServer;
  private listeningPort = 0;

  /** `auth`: the one login accepted (default: no AUTH offered, none needed). */
  constructor(private readonly auth?: SmtpLogin) {}

  /** The port it listens on (or last listened on, once stopped). */
  get port(): number {
    return this.listeningPort;
  }

  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      secure: false,
      disabledCommands: this.auth === undefined ? ["AUTH", "STARTTLS"] : ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: this.auth === undefined,
      logger: false,
      onAuth: (auth, _session, callback) => {
        this.logins.push({ username: auth.username ?? "", password: auth.password ?? "" });
        if (auth.username === this.auth?.username && auth.password === this.auth?.password) {
          callback(null, { user: auth.username });
        } else {
          callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
        }
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          this.mails.push({
            from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            ...parseMime(raw),
            at: Date.now(),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.listeningPort = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this.listeningPort;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
function parseMime(raw: string): {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
} {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = parseHeaders(head ?? "");
  const body = rest.join("\r\n\r\n");
  const parts: { type: string; content: string }[] = [];
  collectParts(headers, body, parts);
  return {
    subject: decodeWords(headers.subject ?? ""),
    text: parts.find((part) => part.type.startsWith("text/plain"))?.content ?? "",
    html: parts.find((part) => part.type.startsWith("text/html"))?.content ?? "",
    headers,
  };
}

function collectParts(
  headers: Record<string, string>,
  body: string,
  parts: { type: string; content: string }[],
): void {
  const type = headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith("multipart/") && boundary !== undefined) {
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith("--")) break;
      const [partHead, ...partBody] = section.replace(/^\r?\n/, "").split(/\r?\n\r?\n/);
      collectParts(parseHeaders(partHead ?? ""), partBody.join("\r\n\r\n"), parts);
    }
    return;
  }
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  let content = body.replace(/\r?\n$/, "");
  if (encoding === "quoted-printable") {
    content = Buffer.from(
      content
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      "latin1",
    ).toString("utf8");
  } else if (encoding === "base64") {
    content = Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  parts.push({ type, content: content.replace(/\r\n/g, "\n") });
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_, _charset: string, mode: string, data: string) =>
        mode.toUpperCase() === "B"
          ? Buffer.from(data, "base64").toString("utf8")
          : Buffer.from(
              data
                .replace(/_/g, " ")
                .replace(/=([0-9A-F]{2})/gi, (__, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              "latin1",
            ).toString("utf8"),
    );
}
