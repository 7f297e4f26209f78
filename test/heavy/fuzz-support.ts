// Helpers of the events fuzz (fuzz-events.test.ts): a fast-check generator of Kafka messages mixing valid prediction and label
// events (hostile but valid: NUL, emoji, "\\ud800" as text, 256-character names, exact size
// limits, duplicate JSON keys, deep unknown fields, extreme timestamps and numbers) with every
// poison class of the issue "Ingestion never stalls on data": lone surrogates (\ud800 escapes)
// in any key or value, non-JSON next to emoji, invalid UTF-8, 5,000-character feature names
// ending in an emoji pair, payloads over ingest.maxEventBytes, wrong types, deep nesting, 1e400,
// empty payloads, bad timestamps, model names and event ids, and resends of earlier messages.
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// A JSON writer of our own: duplicate keys, numbers as raw text (1e400, -0), any whitespace,
// non-ASCII and lone surrogates written as \uXXXX escapes in lower or upper case.

/** JSON text put as it is (a number JSON.stringify cannot write, a deep structure). */
export class Raw {
  constructor(readonly text: string) {}
}

/** An object as ordered entries: keys may repeat, "__proto__" is an ordinary key. */
export class Obj {
  constructor(readonly entries: readonly (readonly [string, Json])[]) {}
}

export type Json = null | boolean | number | string | Raw | Obj | readonly Json[];

export interface Style {
  /** Whitespace after each ":" and ",". */
  readonly gap: string;
  /** Non-ASCII characters written as \uXXXX escapes (lower or upper case hex), or as UTF-8. */
  readonly escape: "none" | "lower" | "upper";
}

const PLAIN: Style = { gap: "", escape: "none" };

function quote(text: string, style: Style): string {
  const json = JSON.stringify(text); // lone surrogates come out as \udxxx escapes
  if (style.escape === "none") return json;
  const hex = (digits: string) =>
    style.escape === "upper" ? digits.toUpperCase() : digits.toLowerCase();
  // Left to right, so an escaped backslash ("\\\\") is never read as the start of "\\u".
  return json.replace(/\\(?:u[0-9a-fA-F]{4}|[^u])|[\u0080-\uffff]/g, (token) => {
    if (!token.startsWith("\\"))
      return `\\u${hex(token.charCodeAt(0).toString(16).padStart(4, "0"))}`;
    return token[1] === "u" ? `\\u${hex(token.slice(2))}` : token;
  });
}

export function writeJson(value: Json, style: Style = PLAIN): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return quote(value, style);
  if (value instanceof Raw) return value.text;
  const separator = `,${style.gap}`;
  if (value instanceof Obj) {
    return `{${value.entries
      .map(([key, item]) => `${quote(key, style)}:${style.gap}${writeJson(item, style)}`)
      .join(separator)}}`;
  }
  return `[${value.map((item) => writeJson(item, style)).join(separator)}]`;
}

// ---------------------------------------------------------------------------------------------
// Text and value arbitraries.

const MAX_EPOCH_MS = 4_294_967_295_000;
/** 2026-11-23T00:00:00Z: most event times are within days of it. */
const BASE_MS = 1_795_392_000_000;
const DAY_MS = 86_400_000;

/** A well-formed code point, the hard ones favoured (NUL, quotes, backslash, emoji, BOM …). */
const codePoint = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCodePoint(c)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xe000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "😀",
      "👩‍👩‍👧",
      "\u0000",
      "\u001f",
      "\\",
      '"',
      "\u0301",
      "\ufeff",
      "\ufffd",
      "\u2028",
      "\uffff",
      "\\ud800", // the six characters, not a surrogate: valid text
      "日本",
    ),
  },
);

/** Well-formed text of `min`…`max` code points (exactly `max` sometimes). */
function text(min: number, max: number): fc.Arbitrary<string> {
  // Some units are several code points ("\\ud800" as text, emoji sequences): cut at `max`.
  const join = (units: string[]) => [...units.join("")].slice(0, max).join("");
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .array(codePoint, { minLength: min, maxLength: Math.min(max, min + 30) })
        .map(join),
    },
    { weight: 1, arbitrary: fc.array(codePoint, { minLength: max, maxLength: max }).map(join) },
  );
}

/** Well-formed text of exactly `count` code points, the last one an emoji (a surrogate pair). */
function endingInEmoji(count: number, fill: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fill.map((unit) => `${unit.repeat(count - 1)}😀`);
}

const modelName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("credit-risk", "m", "A.b_c-9", "x".repeat(64), "..", "-", "_", "0", "fraud.v2"),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
);

const BAD_MODEL_NAMES = [
  "",
  "a".repeat(65),
  "a b",
  "模型",
  "a/b",
  "a\u0000",
  "😀",
  "model\n",
  " m",
  "m ",
  "m\u2028",
  "credit-risk;DROP",
];

/** Numbers as JSON text, valid ones: -0, subnormals, the largest double, 30-digit integers. */
const VALID_NUMBER_TEXTS = [
  "-0",
  "0.0",
  "1E+2",
  "5e-324",
  "1.7976931348623157e308",
  "-1.7976931348623157e308",
  "123456789012345678901234567890",
  "1e-400", // underflows to 0: a number
  "0.1",
];
const OVERFLOWING = ["1e400", "-1e400", "1E309", "2e308"];

const number: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(...VALID_NUMBER_TEXTS).map((raw) => new Raw(raw)) },
);

function rfc3339(
  ms: number,
  offsetMinutes: number,
  separator: string,
  zulu: string,
  extraDigits: string,
): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const fraction = `.${local.slice(20, 23)}${extraDigits}`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, "0");
  const zone = offsetMinutes === 0 && zulu !== "" ? zulu : `${sign}${hours}:${minutes}`;
  return `${local.slice(0, 10)}${separator}${local.slice(11, 19)}${fraction}${zone}`;
}

/** A timestamp field: absent (undefined), null, epoch ms or RFC 3339; a few anywhere in range. */
const validTimestamp: fc.Arbitrary<Json | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.integer({ min: BASE_MS - 3 * DAY_MS, max: BASE_MS + 3 * DAY_MS }) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        ms: fc.integer({ min: BASE_MS - 3 * DAY_MS, max: BASE_MS + 3 * DAY_MS }),
        offset: fc.oneof(fc.constant(0), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
        separator: fc.constantFrom("T", "t", " "),
        zulu: fc.constantFrom("Z", "z", ""),
        extra: fc.oneof(fc.constant(""), fc.stringMatching(/^\d{1,6}$/)),
      })
      .map(({ ms, offset, separator, zulu, extra }) => rfc3339(ms, offset, separator, zulu, extra)),
  },
  // Anywhere in 1970 … 2106 (each a ClickHouse partition of its own: keep them few).
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_EPOCH_MS }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Json>(
      0,
      MAX_EPOCH_MS,
      "1970-01-01T00:00:00Z",
      "2106-02-07T06:28:15Z",
      "2016-12-31T23:59:60Z",
      "2026-11-23T08:00:00.123456789+23:59",
      "2026-11-23 08:00:00z",
      "2000-02-29T00:00:00-00:00",
    ),
  },
);

const BAD_TIMESTAMPS: Json[] = [
  "2026-02-30T00:00:00Z",
  "2026-13-01T00:00:00Z",
  "2026-11-23T24:00:00Z",
  "2026-11-23T08:00:00+24:00",
  "2026-11-23T08:00:00",
  "2026-11-23",
  "yesterday",
  "",
  " 2026-11-23T08:00:00Z",
  "1970-01-01T00:00:00+00:01",
  "2106-02-07T06:28:16Z",
  -1,
  MAX_EPOCH_MS + 1,
  1.5,
  true,
  [],
  new Obj([]),
  new Raw("1e400"),
  new Raw("-0.5"),
];

const featureName: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: text(1, 30) },
  { weight: 1, arbitrary: text(256, 256) },
  { weight: 1, arbitrary: endingInEmoji(256, fc.constantFrom("f", "é", "日")) },
  // 200 emoji: 400 UTF-16 units, 200 characters — within the limit.
  { weight: 1, arbitrary: fc.constant("😀".repeat(200)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "__proto__",
      "constructor",
      "toString",
      "0",
      "42",
      "1e3",
      "a.b",
      "x y",
    ),
  },
);

const featureValue: fc.Arbitrary<Json> = fc.oneof(
  number,
  text(0, 40),
  fc.boolean(),
  fc.constant(null),
);

/** Features as entries; a name may repeat (a duplicate JSON key: the last one wins). */
const features: fc.Arbitrary<Obj> = fc
  .tuple(
    fc.array(fc.tuple(featureName, featureValue), { maxLength: 8 }),
    // One feature in five repeats a name.
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), featureValue) },
    ),
  )
  .map(([entries, repeat]) => {
    if (repeat === null || entries.length === 0) return new Obj(entries);
    const [at, value] = repeat;
    return new Obj([...entries, [entries[at % entries.length]![0], value]]);
  });

const KNOWN_FIELDS = new Set([
  "event_id",
  "model",
  "model_version",
  "timestamp",
  "features",
  "prediction",
  "label",
]);

/** Well-formed values of any type for unknown fields: nested, deep, long. */
const extraValue: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.letrec<{ value: Json }>((tie) => ({
      value: fc.oneof(
        { maxDepth: 3, depthIdentifier: "extra" },
        text(0, 20),
        number,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.array(fc.tuple(text(0, 8), tie("value")), { maxLength: 3 }).map((e) => new Obj(e)),
      ),
    })).value,
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map((depth) => deepArray(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => "😀".repeat(n)) },
);

const extras = fc.array(
  fc.tuple(
    text(0, 12).filter((key) => !KNOWN_FIELDS.has(key)),
    extraValue,
  ),
  { maxLength: 3 },
);

function deepArray(depth: number, leaf = "1"): Raw {
  return new Raw(`${"[".repeat(depth)}${leaf}${"]".repeat(depth)}`);
}

function deepObject(depth: number, leaf = "1"): Raw {
  return new Raw(`${'{"k":'.repeat(depth)}${leaf}${"}".repeat(depth)}`);
}

const outcome: fc.Arbitrary<Json> = fc.oneof(number, text(0, 40));

const style: fc.Arbitrary<Style> = fc.record({
  gap: fc.constantFrom("", "", " ", "\n", "\t", "\r\n  "),
  escape: fc.constantFrom<Style["escape"]>("none", "none", "lower", "upper"),
});

// ---------------------------------------------------------------------------------------------
// Events and messages.

export type FuzzTopic = "predictions" | "labels";

/** An event's identity, for resends and duplicates of it. */
export interface Identity {
  readonly model: string;
  readonly eventId: string;
}

/** One message of the sequence, as it is produced. */
export interface FuzzMessage {
  readonly index: number;
  /** What the generator meant it to be (valid, a poison class, a resend …). */
  readonly kind: string;
  readonly topic: FuzzTopic;
  readonly key: Buffer | null;
  readonly value: Buffer;
  /** Set when built from a valid event (the validator still has the last word). */
  readonly identity?: Identity;
}

/** A valid event before its position is known (the event id gets the index appended). */
interface Draft {
  readonly topic: FuzzTopic;
  readonly idText: string;
  readonly exactId: boolean;
  readonly model: string;
  /** Every field but event_id and model, in order. */
  readonly rest: readonly (readonly [string, Json])[];
  readonly extrasFirst: boolean;
  readonly style: Style;
}

/** An event id of at most 128 characters that no other index has. */
function eventIdFor(draft: Draft, index: number): string {
  const suffix = `~${index.toString(36)}`;
  const room = 128 - suffix.length;
  const points = [...draft.idText].slice(0, room);
  if (draft.exactId) while (points.length < room) points.push("é");
  return `${points.join("")}${suffix}`;
}

const predictionDraft: fc.Arbitrary<Draft> = fc
  .record({
    idText: text(0, 60),
    exactId: fc.boolean(),
    model: modelName,
    version: fc.option(fc.oneof(text(1, 128), number), { freq: 3 }),
    timestamp: validTimestamp,
    features,
    prediction: fc.option(outcome, { freq: 4 }),
    label: fc.option(fc.option(outcome), { freq: 3 }),
    extras,
    extrasFirst: fc.boolean(),
    style,
  })
  .map(({ version, timestamp, features, prediction, label, extras, ...draft }) => {
    const known: [string, Json][] = [
      ...(version === null ? [] : [["model_version", version] as [string, Json]]),
      ...(timestamp === undefined ? [] : [["timestamp", timestamp] as [string, Json]]),
      ["features", features],
      ...(prediction === null ? [] : [["prediction", prediction] as [string, Json]]),
      ...(label === null ? [] : [["label", label] as [string, Json]]),
    ];
    return {
      ...draft,
      topic: "predictions" as const,
      rest: draft.extrasFirst ? [...extras, ...known] : [...known, ...extras],
    };
  });

const labelDraft: fc.Arbitrary<Draft> = fc
  .record({
    idText: text(0, 60),
    exactId: fc.boolean(),
    model: modelName,
    timestamp: validTimestamp,
    label: outcome,
    extras,
    extrasFirst: fc.boolean(),
    style,
  })
  .map(({ timestamp, label, extras, ...draft }) => {
    const known: [string, Json][] = [
      ...(timestamp === undefined ? [] : [["timestamp", timestamp] as [string, Json]]),
      ["label", label],
    ];
    return {
      ...draft,
      topic: "labels" as const,
      rest: draft.extrasFirst ? [...extras, ...known] : [...known, ...extras],
    };
  });

const anyDraft = fc.oneof(
  { weight: 3, arbitrary: predictionDraft },
  { weight: 1, arbitrary: labelDraft },
);

type Entries = (readonly [string, Json])[];

function entriesOf(draft: Draft, identity: Identity): Entries {
  return [["event_id", identity.eventId], ["model", identity.model], ...draft.rest];
}

const render = (entries: Entries, draftStyle: Style): string =>
  writeJson(new Obj(entries), draftStyle);

/** Entries with `field` set to `value` (added at the end when absent), or removed (undefined). */
function withField(entries: Entries, field: string, value: Json | undefined): Entries {
  const kept = entries.filter(([key]) => key !== field);
  if (value === undefined) return kept;
  const at = entries.findIndex(([key]) => key === field);
  if (at < 0) return [...kept, [field, value]];
  return [...entries.slice(0, at), [field, value], ...entries.slice(at + 1)];
}

/** A key: none, the event id, or other bytes (not UTF-8 sometimes). */
type KeyChoice = "none" | "id" | Buffer;
const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<KeyChoice>("none") },
  { weight: 3, arbitrary: fc.constant<KeyChoice>("id") },
  { weight: 1, arbitrary: text(0, 10).map((key) => Buffer.from(key)) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
  },
);

function keyOf(choice: KeyChoice, identity: Identity | undefined): Buffer | null {
  if (choice === "none") return null;
  if (choice === "id") return identity === undefined ? null : Buffer.from(identity.eventId);
  return choice;
}

/** What a template gives once its index and the earlier messages are known. */
interface Built {
  readonly kind: string;
  readonly topic: FuzzTopic;
  readonly value: Buffer;
  readonly identity?: Identity;
}

interface Template {
  readonly key: KeyChoice;
  build(index: number, earlier: readonly FuzzMessage[]): Built;
}

/** Builds a message from a valid draft: as it is, or broken by `change`. */
type Builder = (index: number, earlier: readonly FuzzMessage[]) => Built | undefined;

function builder(
  d: Draft,
  kind: string,
  change: (entries: Entries) => string | Buffer = (entries) => render(entries, d.style),
): Builder {
  return (index) => {
    const identity = { model: d.model, eventId: eventIdFor(d, index) };
    const result = change(entriesOf(d, identity));
    return {
      kind,
      topic: d.topic,
      value: typeof result === "string" ? Buffer.from(result, "utf8") : result,
      identity,
    };
  };
}

/** A change of one field (event_id, model, …) of a valid event: set, or removed (undefined). */
function fieldChange(
  kind: string,
  draft: fc.Arbitrary<Draft>,
  field: string,
  values: fc.Arbitrary<Json | undefined>,
): fc.Arbitrary<Builder> {
  return fc
    .tuple(draft, values)
    .map(([d, value]) =>
      builder(d, kind, (entries) => render(withField(entries, field, value), d.style)),
    );
}

// Lone surrogates in any key or value.

const SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00", "\ude00\ud83d"];

/** `value` with `surrogate` put into its `index`-th string (keys and values, in order). */
function poisoned(value: Json, index: number, surrogate: string): Json {
  let strings = 0;
  const count = (item: Json): void => {
    if (typeof item === "string") strings++;
    else if (item instanceof Obj) {
      for (const [, child] of item.entries) {
        strings++;
        count(child);
      }
    } else if (Array.isArray(item)) (item as readonly Json[]).forEach(count);
  };
  count(value);
  if (strings === 0) return value;
  let target = index % strings;
  const poison = (item: string) => {
    const at = target-- === 0 ? (index >> 4) % (item.length + 1) : -1;
    return at < 0 ? item : `${item.slice(0, at)}${surrogate}${item.slice(at)}`;
  };
  const rebuild = (item: Json): Json => {
    if (typeof item === "string") return poison(item);
    if (item instanceof Obj) {
      return new Obj(item.entries.map(([key, child]) => [poison(key), rebuild(child)] as const));
    }
    if (Array.isArray(item)) return (item as readonly Json[]).map(rebuild);
    return item;
  };
  return rebuild(value);
}

const loneSurrogate = fc
  .tuple(anyDraft, fc.nat(), fc.constantFrom(...SURROGATES))
  .map(([d, at, surrogate]) =>
    builder(d, "lone surrogate", (entries) =>
      writeJson(poisoned(new Obj(entries), at, surrogate), d.style),
    ),
  );

// Non-JSON next to emoji, and invalid UTF-8.

const nonJson = fc
  .tuple(anyDraft, fc.nat(), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 200 }))
  .map(([d, at, variant, emoji]) =>
    builder(d, "not JSON", (entries) => {
      const json = render(entries, d.style);
      const bytes = Buffer.from(json);
      switch (variant) {
        case 0:
          return `😀 not json at all 😀😀😀 ${"🙂".repeat(emoji)}`;
        case 1:
          return `${json}😀`;
        case 2:
          return `😀${json}`;
        case 3:
          return bytes.subarray(0, at % Math.max(1, bytes.length)); // cut anywhere, mid-emoji too
        case 4:
          return `\ufeff${json}`; // a BOM is not JSON whitespace
        case 5:
          return `${json.slice(0, -1)},}`;
        case 6:
          return `${json}${json}`;
        case 7:
          return `{"event_id":"a\nb😀","model":"m","features":{}}`; // a raw line break in a string
        default:
          return ["NaN", "undefined", "{'event_id':'x'}", "[", "}", "😀"][at % 6]!;
      }
    }),
  );

const INVALID_UTF8 = [
  [0xff],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80], // U+D800 encoded as bytes (CESU-8): never valid UTF-8
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x82],
  [0xe9], // "é" in Latin-1
];

const invalidUtf8 = fc
  .tuple(anyDraft, fc.nat(), fc.constantFrom(...INVALID_UTF8), fc.boolean())
  .map(([d, at, bad, cutEmoji]) =>
    builder(d, "invalid UTF-8", (entries) => {
      const bytes = Buffer.from(render([...entries, ["emoji", "😀🙂😀"]], d.style));
      if (cutEmoji && bytes.includes(Buffer.from("😀"))) {
        // Drop the last byte of the first emoji: a cut sequence right next to whole ones.
        const first = bytes.indexOf(Buffer.from("😀"));
        return Buffer.concat([bytes.subarray(0, first + 3), bytes.subarray(first + 4)]);
      }
      const where = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, where), Buffer.from(bad), bytes.subarray(where)]);
    }),
  );

// Feature names of 5,000 characters ending in an emoji pair, and other bad features.

const longFeatureName = fc
  .tuple(
    predictionDraft,
    fc.oneof(
      endingInEmoji(5_000, fc.constantFrom("f", "x", "_")),
      endingInEmoji(257, fc.constantFrom("f", "é", "日")),
    ),
  )
  .map(([d, name]) =>
    builder(d, "long feature name", (entries) =>
      render(
        withField(
          entries,
          "features",
          new Obj([
            ["ok", 1],
            [name, 2],
          ]),
        ),
        d.style,
      ),
    ),
  );

const badFeature = fieldChange(
  "bad feature",
  predictionDraft,
  "features",
  fc.oneof(
    fc.constantFrom<Json>([], [1], new Obj([["a", 1]])).map((value) => new Obj([["x", value]])),
    fc.constant(new Obj([["", 1]])),
    fc.constantFrom(...OVERFLOWING).map((raw) => new Obj([["x", new Raw(raw)]])),
    fc.integer({ min: 1, max: 2_000 }).map((depth) => new Obj([["deep", deepArray(depth)]])),
  ),
);

// Sizes around ingest.maxEventBytes.

export const MAX_EVENT_BYTES = 8_192;

const tooLarge = fc
  .tuple(
    anyDraft,
    fc.oneof(
      fc.constantFrom(MAX_EVENT_BYTES, MAX_EVENT_BYTES + 1, MAX_EVENT_BYTES - 1),
      fc.integer({ min: MAX_EVENT_BYTES, max: 3 * MAX_EVENT_BYTES }),
    ),
    fc.constantFrom("x", "😀", "é"),
  )
  .map(([d, target, unit]) =>
    builder(d, "size limit", (entries) => {
      const base = Buffer.byteLength(render([...entries, ["pad", ""]], d.style));
      const unitBytes = Buffer.byteLength(unit);
      const units = Math.max(0, Math.floor((target - base) / unitBytes));
      const rest = Math.max(0, target - base - units * unitBytes);
      return render([...entries, ["pad", unit.repeat(units) + "x".repeat(rest)]], d.style);
    }),
  );

// Wrong types, deep nesting, 1e400, empty payloads.

const wrongValues: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  42,
  true,
  [],
  ["a"],
  new Obj([]),
  new Obj([["a", 1]]),
  new Raw("1e400"),
);

const wrongType = fc.oneof(
  fieldChange("wrong type", anyDraft, "event_id", wrongValues),
  fieldChange("wrong type", anyDraft, "model", wrongValues),
  fieldChange(
    "wrong type",
    predictionDraft,
    "features",
    fc.constantFrom<Json>([], "x", 1, true, [new Obj([["a", 1]])]),
  ),
  fieldChange(
    "wrong type",
    predictionDraft,
    "model_version",
    fc.constantFrom<Json>(true, [], new Obj([])),
  ),
  fieldChange(
    "wrong type",
    predictionDraft,
    "prediction",
    fc.constantFrom<Json>(true, [], [1], new Obj([])),
  ),
  fieldChange(
    "wrong type",
    anyDraft,
    "label",
    fc.constantFrom<Json>(false, [], new Obj([["x", null]])),
  ),
  fc
    .tuple(anyDraft, fc.constantFrom("[]", "42", '"str"', "null", "true", "[{}]"))
    .map(([d, payload]) => builder(d, "wrong type", () => payload)),
);

const deepNesting = fc
  .tuple(
    anyDraft,
    fc.constantFrom("extra", "feature", "whole"),
    fc.boolean(),
    fc.integer({ min: 100, max: 3_900 }),
  )
  .map(([d, where, arrays, depth]) =>
    builder(d, "deep nesting", (entries) => {
      const deep = arrays ? deepArray(depth) : deepObject(Math.floor(depth / 3));
      if (where === "whole") return deep.text;
      if (where === "extra") return render([...entries, ["deep", deep]], d.style);
      return render(
        withField(
          entries,
          "features",
          new Obj([
            ["a", 1],
            ["deep", deep],
          ]),
        ),
        d.style,
      );
    }),
  );

const hugeNumber = fc
  .tuple(
    anyDraft,
    fc.constantFrom(
      "prediction",
      "label",
      "timestamp",
      "model_version",
      "event_id",
      "feature",
      "extra",
    ),
    fc.constantFrom(...OVERFLOWING, ...VALID_NUMBER_TEXTS),
  )
  .map(([d, field, raw]) =>
    builder(d, "1e400", (entries) => {
      const value = new Raw(raw);
      if (field === "feature")
        return render(withField(entries, "features", new Obj([["f", value]])), d.style);
      if (field === "extra") return render([...entries, ["big", value]], d.style);
      return render(withField(entries, field, value), d.style);
    }),
  );

const empty = fc
  .tuple(anyDraft, fc.constantFrom("", "", " ", "\n", "\t\r\n"))
  .map(([d, payload]) => builder(d, "empty", () => payload));

// Bad timestamps, model names, event ids, versions; missing fields.

const badTimestamp = fieldChange(
  "bad timestamp",
  anyDraft,
  "timestamp",
  fc.constantFrom(...BAD_TIMESTAMPS),
);

const badModel = fieldChange(
  "bad model name",
  anyDraft,
  "model",
  fc.constantFrom(...BAD_MODEL_NAMES),
);

const badEventId = fieldChange(
  "bad event id",
  anyDraft,
  "event_id",
  fc.oneof(fc.constant(""), text(129, 160), fc.constant("😀".repeat(129))),
);

const badModelVersion = fieldChange(
  "bad model version",
  predictionDraft,
  "model_version",
  fc.oneof(fc.constant(""), text(129, 140)),
);

const missingField = fc.oneof(
  fieldChange("missing field", anyDraft, "event_id", fc.constantFrom(undefined, null)),
  fieldChange("missing field", anyDraft, "model", fc.constantFrom(undefined, null)),
  fieldChange("missing field", predictionDraft, "features", fc.constantFrom(undefined, null)),
  fieldChange("missing field", labelDraft, "label", fc.constantFrom(undefined, null)),
);

const poison: fc.Arbitrary<Builder> = fc.oneof(
  { weight: 3, arbitrary: loneSurrogate },
  { weight: 2, arbitrary: nonJson },
  { weight: 2, arbitrary: invalidUtf8 },
  { weight: 1, arbitrary: longFeatureName },
  { weight: 2, arbitrary: tooLarge },
  { weight: 2, arbitrary: wrongType },
  { weight: 2, arbitrary: deepNesting },
  { weight: 2, arbitrary: hugeNumber },
  { weight: 1, arbitrary: empty },
  { weight: 2, arbitrary: badTimestamp },
  { weight: 1, arbitrary: badModel },
  { weight: 1, arbitrary: badEventId },
  { weight: 1, arbitrary: badModelVersion },
  { weight: 1, arbitrary: missingField },
  { weight: 1, arbitrary: badFeature },
);

/** A resend: an earlier message's bytes again (a new offset, maybe another key and partition). */
const resend = fc.nat().map((pick): Builder => (_index, earlier) => {
  if (earlier.length === 0) return undefined;
  const original = earlier[pick % earlier.length]!;
  return {
    kind: `resend of #${original.index}`,
    topic: original.topic,
    value: original.value,
    identity: original.identity,
  };
});

/** Another valid event with the (model, event_id) of an earlier one: a duplicate event id. */
const sameId = fc.tuple(anyDraft, fc.nat()).map(([d, pick]): Builder => (_index, earlier) => {
  const candidates = earlier.filter(
    (message) => message.identity !== undefined && message.topic === d.topic,
  );
  if (candidates.length === 0) return undefined;
  const original = candidates[pick % candidates.length]!;
  const identity = original.identity!;
  return {
    kind: `same (model, event_id) as #${original.index}`,
    topic: d.topic,
    value: Buffer.from(render(entriesOf(d, identity), d.style)),
    identity,
  };
});

const template: fc.Arbitrary<Template> = fc
  .tuple(
    fc.oneof<fc.WeightedArbitrary<Builder>[]>(
      { weight: 40, arbitrary: predictionDraft.map((d) => builder(d, "valid prediction")) },
      { weight: 10, arbitrary: labelDraft.map((d) => builder(d, "valid label")) },
      { weight: 30, arbitrary: poison },
      { weight: 5, arbitrary: resend },
      { weight: 3, arbitrary: sameId },
    ),
    predictionDraft.map((d) => builder(d, "valid prediction")),
    keyChoice,
  )
  .map(([build, fallback, key]) => ({
    key,
    build: (index, earlier) => build(index, earlier) ?? fallback(index, earlier)!,
  }));

/** `count` messages generated from `seed` (the same every time for a seed). */
export function fuzzMessages(seed: number, count: number, first = 0): FuzzMessage[] {
  const [templates] = fc.sample(fc.array(template, { minLength: count, maxLength: count }), {
    seed,
    numRuns: 1,
  });
  const messages: FuzzMessage[] = [];
  for (const [offset, { key, build }] of templates!.entries()) {
    const built = build(first + offset, messages);
    messages.push({ ...built, index: first + offset, key: keyOf(key, built.identity) });
  }
  return messages;
}

/** Fixed messages (counterexamples and hand-picked cases) with their kind. */
export function fixedMessage(
  index: number,
  kind: string,
  topic: FuzzTopic,
  value: string | Buffer,
  key: string | Buffer | null = null,
): FuzzMessage {
  return {
    index,
    kind,
    topic,
    key: key === null ? null : Buffer.from(key),
    value: typeof value === "string" ? Buffer.from(value, "utf8") : value,
  };
}
