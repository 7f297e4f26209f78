// The list of CLI commands: each lives in its own file and registers itself on the program.
// Modules are loaded on demand: a run of one command loads that command's modules only (the
// server's Kafka, HTTP and protobuf libraries cost `check` about half a second at start-up).
import type { Command } from "commander";

type Register = (program: Command) => void;

/** Every command, in the order `--help` lists them. */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  serve: async () => (await import("./serve.js")).registerServe,
  check: async () => (await import("./check.js")).registerCheck,
  stack: async () => (await import("./stack.js")).registerStack,
  migrate: async () => (await import("./migrate.js")).registerMigrate,
  copy: async () => (await import("./copy.js")).registerCopy,
  send: async () => (await import("./send.js")).registerSend,
  dlq: async () => (await import("./dlq.js")).registerDlq,
  demo: async () => (await import("./demo.js")).registerDemo,
  alerts: async () => (await import("./alerts.js")).registerAlerts,
  status: async () => (await import("./status.js")).registerStatus,
  reference: async () => (await import("./reference.js")).registerReference,
};

/**
 * Register the command `argv` names (argv as process.argv: node, script, command, …) when it is
 * one of ours, else every command (`--help`, `help <command>`, `--version`, a misspelt name that
 * commander suggests a fix for).
 */
export async function registerCommands(program: Command, argv?: readonly string[]): Promise<void> {
  const named = argv?.[2];
  const names =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of names) {
    const register = await COMMANDS[name]!();
    register(program);
  }
}
