// The list of CLI commands: each lives in its own file and registers itself on the program.
import type { Command } from "commander";
import { registerAlerts } from "./alerts.js";
import { registerCheck } from "./check.js";
import { registerCopy } from "./copy.js";
import { registerDemo } from "./demo.js";
import { registerDlq } from "./dlq.js";
import { registerMigrate } from "./migrate.js";
import { registerReference } from "./reference.js";
import { registerSend } from "./send.js";
import { registerServe } from "./serve.js";
import { registerStack } from "./stack.js";
import { registerStatus } from "./status.js";

export function registerCommands(program: Command): void {
  registerServe(program);
  registerCheck(program);
  registerStack(program);
  registerMigrate(program);
  registerCopy(program);
  registerSend(program);
  registerDlq(program);
  registerDemo(program);
  registerAlerts(program);
  registerStatus(program);
  registerReference(program);
}
