// Test support for the compose files (docker-compose.yml, docker-compose.cluster.yml): reading them, Compose-style ${VAR} / ${VAR:-default}
// interpolation (with the variables unset, as on a fresh `docker compose up`), and the pieces of a
// service the checks look at.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = join(import.meta.dirname, "../../..");

export interface HealthCheck {
  readonly test: string | readonly string[];
}

export interface ComposeService {
  readonly image?: string;
  readonly hostname?: string;
  readonly restart?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: HealthCheck;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), "utf8");
}

/** A compose file of the repository, parsed (docker-compose.yml unless named). */
export function composeDocument(file = "docker-compose.yml"): unknown {
  return parse(readRepoFile(file));
}

export function composeFile(file = "docker-compose.yml"): ComposeFile {
  return composeDocument(file) as ComposeFile;
}

/** Compose interpolation of ${NAME}, ${NAME:-default}, ${NAME-default} and $$ with `env`. */
export function interpolate(text: string, env: Readonly<Record<string, string>> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g,
    (match, name?: string, operator?: string, fallback?: string) => {
      if (match === "$$") return "$";
      const value = env[name!];
      if (operator === ":-") return value === undefined || value === "" ? fallback! : value;
      if (operator === "-") return value === undefined ? fallback! : value;
      return value ?? "";
    },
  );
}

/** A service's environment with values interpolated and turned into strings. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      interpolate(String(value ?? "")),
    ]),
  );
}

export interface PortMapping {
  /** The host address the port is published on, when the mapping names one. */
  readonly address?: string;
  readonly host: number;
  readonly container: number;
}

/** `HOST:CONTAINER` or `ADDRESS:HOST:CONTAINER` (IPv4 address). */
export function portMappings(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((spec) => {
    const match = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)$/.exec(spec);
    if (match === null) throw new Error(`port ${spec} is not [ADDRESS:]HOST:CONTAINER`);
    return {
      ...(match[1] !== undefined ? { address: match[1] } : {}),
      host: Number(match[2]),
      container: Number(match[3]),
    };
  });
}

export interface VolumeMount {
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly bind: boolean;
}

export function volumeMounts(service: ComposeService): VolumeMount[] {
  return (service.volumes ?? []).map((spec) => {
    const [source, target, mode] = spec.split(":");
    if (source === undefined || target === undefined)
      throw new Error(`volume ${spec} is not SOURCE:TARGET`);
    return {
      source,
      target,
      readOnly: mode === "ro",
      bind: source.startsWith(".") || source.startsWith("/"),
    };
  });
}
