// Files `check` writes (--html) are checked before any input is read, so that a typo in a path
// fails in a second with exit 2 instead of after minutes of work, losing the verdict.
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CheckInputError } from "./errors.js";

/** Throws a CheckInputError unless `path` can be created or overwritten as a regular file. */
export async function checkOutputPath(flag: string, path: string): Promise<void> {
  const fail = (reason: string): never => {
    throw new CheckInputError(`${flag} ${path}: ${reason}; nothing was read`);
  };
  if (path.trim() === "") fail("the path is empty");
  const target = resolve(path);
  const existing = await stat(target).catch(() => null);
  if (existing !== null) {
    if (existing.isDirectory()) fail("is a directory; give a file name such as report.html");
    await access(target, constants.W_OK).catch(() => fail("the file is not writable"));
    return;
  }
  const folder = dirname(target);
  const parent = await stat(folder).catch(() => null);
  if (parent === null) fail(`the directory ${folder} does not exist`);
  if (!parent!.isDirectory()) fail(`${folder} is not a directory`);
  await access(folder, constants.W_OK).catch(() => fail(`the directory ${folder} is not writable`));
}
