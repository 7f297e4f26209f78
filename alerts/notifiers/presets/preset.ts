// What a retrain preset is: how to turn a retrain request into the HTTP request one pipeline API
// expects (GitHub, Airflow, Jenkins, Kubeflow, generic), and which answers count as delivered.
import type { RetrainRequest } from "../../model/retrain-request.js";
import type { HttpCall, HttpRequest, HttpResponse } from "../http.js";
import type { DeliveryResult } from "../types.js";

export interface PresetContext {
  readonly http: HttpCall;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly now: number;
}

export interface RetrainPresetAdapter {
  readonly name: string;
  /** Secrets the preset holds, for redaction. */
  readonly secrets: readonly (string | undefined)[];
  /**
   * The request to send (the webhook layer adds signature and Idempotency-Key headers). A preset
   * that must ask first (Jenkins' crumb) may return a failed DeliveryResult instead.
   */
  prepare(request: RetrainRequest, context: PresetContext): Promise<HttpRequest | DeliveryResult>;
  /** Answers other than 2xx that mean "already done" (Airflow's 409 for a known dag_run_id). */
  acceptsAsDelivered?(response: HttpResponse): boolean;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${basicCredentials(user, password)}`;
}

/** The base64 `user:password` of basic auth (also a secret to redact). */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString("base64");
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
