// CLI entry: builds the commander program from one file per command and maps failures to exit codes.
import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.js";
import { CliError } from "./errors.js";

/** The program with the command `argv` names (or every command: see registerCommands). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command()
    .name("driftwatch")
    .description(
      "Production model monitoring and drift detection: Kafka → ClickHouse → detectors → alerts.",
    )
    .version(process.env.npm_package_version ?? "0.1.0")
    // Program options only before the command: `reference set --version V` is the model version.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors are exit 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`driftwatch: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`driftwatch: unexpected error: ${message}\n`);
    return 2;
  }
}

const code = await main(process.argv);
process.exitCode = code;
