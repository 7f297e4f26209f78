// Parsing a --columns / --categorical value: names separated by commas, surrounding spaces
// dropped, "\," for a comma inside a name; the flag may also be given several times.

export function parseColumnList(value: string, previous: readonly string[] = []): string[] {
  const names: string[] = [];
  let name = "";
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === "\\" && (value[index + 1] === "," || value[index + 1] === "\\")) {
      name += value[index + 1];
      index++;
    } else if (char === ",") {
      names.push(name);
      name = "";
    } else {
      name += char;
    }
  }
  names.push(name);
  return [...previous, ...names.map((n) => n.trim()).filter((n) => n !== "")];
}
