// A copy that cannot start or go on for a reason the user can fix (a table missing on the
// target, an unknown --tables name, a column whose type cannot be copied): told as its message.
export class CopyError extends Error {
  override readonly name = "CopyError";
}
