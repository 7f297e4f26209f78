// Hostile input, generated (fast-check, fixed seeds): `storedText` always yields storable text of
// at most the limit, equal to the input made well-formed or a prefix of it plus "…", for any
// string (lone surrogates, cut pairs, emoji, 1e6 characters). The event validators never throw on
// any payload (lone surrogates, NUL, wrong types in every field, raw and invalid UTF-8 bytes,
// 20,000 levels of nesting): the verdict is a row of well-formed strings or one of the reason
// codes with a storable detail; the payload-level reason (too_large, not_utf8, invalid_json,
// invalid_text, a non-object) matches an independent model; one bad field in a valid event is
// dead-lettered naming that field; valid events keep their exact values.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_REASONS, type DeadLetterReason } from "../../../src/ingest/reasons.js";
import {
  MAX_DETAIL_CHARS,
  validateLabel,
  validatePrediction,
  type IncomingMessage,
  type Verdict,
} from "../../../src/ingest/validate.js";
import {
  exceedsCodePoints,
  hasLoneSurrogate,
  loneSurrogateIndex,
  quotedText,
  storedText,
} from "../../../src/util/text.js";

// ---------------------------------------------------------------------------------------------
// Independent helpers (no product code): code points, lone surrogates, own-key objects.

/** Code points of `text`, a lone surrogate counting as one. */
function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++, count++) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) index++;
  }
  return count;
}

/** Whether any string (value or key) anywhere in a parsed JSON value is not well-formed. */
function holdsLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === "string") {
      if (!current.isWellFormed()) return true;
    } else if (Array.isArray(current)) {
      stack.push(...current);
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        if (!key.isWellFormed()) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** An object whose keys are all own properties (a "__proto__" key included), in entry order. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The verdict the payload checks must give (size, UTF-8, JSON, lone surrogates, an object). */
function payloadReason(bytes: Buffer, maxEventBytes: number): DeadLetterReason | undefined {
  if (bytes.length === 0) return "invalid_json";
  if (bytes.length > maxEventBytes) return "too_large";
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return "not_utf8";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "invalid_json";
  }
  if (holdsLoneSurrogate(parsed)) return "invalid_text";
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "wrong_type";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/** Units that make text hard: lone and paired surrogate halves, emoji, NUL, escapes, BOM. */
const NASTY_UNITS = [
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\ud83d", // high half of 😀
  "\ude00", // low half of 😀
  "😀",
  "👩‍👩‍👧",
  "🇫🇷",
  "a",
  "é",
  "e\u0301",
  "\u0000",
  "\u001f",
  "\\",
  '"',
  "\\ud800",
  "…",
  "\ufffd",
  "\ufeff",
  "\u2028",
  "\uffff",
  "日本",
];

const nastyUnit = fc.constantFrom(...NASTY_UNITS);

/** Any string at all, lone surrogates and emoji pairs (whole or cut) included. */
const hostileString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: nastyUnit, maxLength: 40 }),
  fc.constantFrom(
    "",
    "\ud800",
    "\udfff",
    "\\ud800",
    "\u0000",
    "😀",
    "😀".slice(0, 1),
    "😀".slice(1),
  ),
  // Long: a nasty pattern repeated up to ~24,000 units.
  fc
    .tuple(
      fc.string({ unit: nastyUnit, minLength: 1, maxLength: 8 }),
      fc.integer({ min: 50, max: 3_000 }),
    )
    .map(([pattern, times]) => pattern.repeat(times)),
);

/** A well-formed code point: anything but a surrogate half, with the hard ones favoured. */
const wellFormedCodePoint = fc.oneof(
  fc.integer({ min: 0, max: 0xd7ff }).map((code) => String.fromCodePoint(code)),
  fc.integer({ min: 0xe000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
  fc.constantFrom("😀", "🇫", "\u0000", "\\", '"', "\u0301", "\ufeff", "\ufffd", "a", "_"),
);

/** Well-formed text of `min`…`max` code points (exactly `max` often: the caps are inclusive). */
function wellFormedText(min: number, max: number): fc.Arbitrary<string> {
  const join = (points: string[]) => points.join("");
  return fc.oneof(
    fc.array(wellFormedCodePoint, { minLength: min, maxLength: Math.min(max, min + 40) }).map(join),
    fc.array(wellFormedCodePoint, { minLength: max, maxLength: max }).map(join),
  );
}

/** Any JSON value built from `strings`: arrays, objects keyed by them, numbers, booleans, null. */
function jsonValueOf(strings: fc.Arbitrary<string>, id: string): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthIdentifier: id },
      fc.oneof(
        strings,
        fc.double(), // NaN and ±Infinity are written as null by JSON.stringify
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
      ),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.array(fc.tuple(strings, tie("value")), { maxLength: 3 }).map(objectOf),
    ),
  })).value;
}

/** Any JSON value built from hostile strings (lone surrogates likely somewhere). */
const hostileValue = jsonValueOf(hostileString, "hostile");

/** The same without lone surrogates (a NUL, the text "\\ud800", emoji and huge strings stay). */
const storableHostileString = hostileString.map((text) => text.toWellFormed());
const storableHostileValue = jsonValueOf(storableHostileString, "storable");

/**
 * `value` with one lone surrogate put into its `index`-th string (keys and values, in
 * serialization order, modulo their number); unchanged when it holds no string.
 */
function poisoned(value: unknown, index: number, surrogate: string): unknown {
  let count = 0;
  const countStrings = (item: unknown): void => {
    if (typeof item === "string") count++;
    else if (Array.isArray(item)) item.forEach(countStrings);
    else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        countStrings(key);
        countStrings(child);
      }
    }
  };
  countStrings(value);
  if (count === 0) return value;
  let target = index % count;
  const poison = (text: string) => {
    const at = target-- === 0 ? (index >> 4) % (text.length + 1) : -1;
    return at < 0 ? text : `${text.slice(0, at)}${surrogate}${text.slice(at)}`;
  };
  const rebuild = (item: unknown): unknown => {
    if (typeof item === "string") return poison(item);
    if (Array.isArray(item)) return item.map(rebuild);
    if (typeof item === "object" && item !== null) {
      return objectOf(
        Object.entries(item).map(([key, child]) => [poison(key), rebuild(child)] as const),
      );
    }
    return item;
  };
  return rebuild(value);
}

/** Values of a type no event field accepts as text (arrays, objects, booleans, numbers). */
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(hostileValue, { maxLength: 3 }),
  fc.array(fc.tuple(hostileString, hostileValue), { maxLength: 3 }).map(objectOf),
);

const modelName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);

const MAX_EPOCH_MS = 4_294_967_295_000;

interface GeneratedTime {
  readonly json: string | number | undefined;
  /** Epoch ms the validator must derive (undefined: the Kafka timestamp). */
  readonly ms: number | undefined;
}

/**
 * An RFC 3339 text of `ms` in a zone `offsetMinutes` east of UTC: with extra fraction digits
 * (ignored beyond milliseconds), or with trailing zeros trimmed (".5" is 500 ms).
 */
function rfc3339(
  ms: number,
  offsetMinutes: number,
  separator: string,
  zulu: string,
  extraDigits: string,
  trim: boolean,
): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = local.slice(20, 23);
  const trimmed = digits.replace(/0+$/, "");
  const fraction =
    extraDigits !== ""
      ? `.${digits}${extraDigits}`
      : !trim
        ? `.${digits}`
        : trimmed && `.${trimmed}`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, "0");
  const zone = offsetMinutes === 0 && zulu !== "" ? zulu : `${sign}${hours}:${minutes}`;
  return `${local.slice(0, 10)}${separator}${local.slice(11, 19)}${fraction}${zone}`;
}

const validTime: fc.Arbitrary<GeneratedTime> = fc.oneof(
  fc.constant({ json: undefined, ms: undefined }),
  fc.integer({ min: 0, max: MAX_EPOCH_MS }).map((ms) => ({ json: ms, ms })),
  fc
    .record({
      ms: fc.oneof(
        fc.integer({ min: 0, max: MAX_EPOCH_MS }),
        fc.integer({ min: 0, max: MAX_EPOCH_MS / 10 }).map((tens) => tens * 10),
        fc.constantFrom(0, MAX_EPOCH_MS, 951_782_400_000 /* 2000-02-29 */, 1_000_000_000_500),
      ),
      offset: fc.oneof(fc.constant(0), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
      separator: fc.constantFrom("T", "t", " "),
      zulu: fc.constantFrom("Z", "z", ""),
      extra: fc.oneof(fc.constant(""), fc.stringMatching(/^\d{1,6}$/)),
      trim: fc.boolean(),
    })
    .map(({ ms, offset, separator, zulu, extra, trim }) => ({
      json: rfc3339(ms, offset, separator, zulu, extra, trim),
      ms,
    })),
);

/** A finite number as it comes back from JSON (-0 is written as 0). */
const jsonNumber = fc
  .oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())
  .map((value) => (value === 0 ? 0 : value));

/** Feature names the contract accepts: 1 to 256 code points, well-formed; tricky keys too. */
const featureName = fc.oneof(
  wellFormedText(1, 256),
  fc.constantFrom("__proto__", "constructor", "toString", "0", "42", "1e3", "a.b", "x y"),
);

const featureValue = fc.oneof(jsonNumber, wellFormedText(0, 40), fc.boolean(), fc.constant(null));

const validFeatures = fc
  .uniqueArray(fc.tuple(featureName, featureValue), { selector: ([name]) => name, maxLength: 8 })
  .map(objectOf);

const KNOWN_FIELDS = new Set([
  "event_id",
  "model",
  "model_version",
  "timestamp",
  "features",
  "prediction",
  "label",
]);

/** Well-formed JSON values of any type, deep ones included (unknown fields may hold anything). */
const wellFormedValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: "wellFormed" },
    wellFormedText(0, 30),
    jsonNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(wellFormedText(0, 10), tie("value")), { maxLength: 3 }).map(objectOf),
  ),
})).value;

const unknownFields = fc.uniqueArray(
  fc.tuple(
    wellFormedText(0, 20).filter((key) => !KNOWN_FIELDS.has(key)),
    wellFormedValue,
  ),
  { selector: ([key]) => key, maxLength: 4 },
);

interface ValidPrediction {
  readonly event: Record<string, unknown>;
  readonly time: GeneratedTime;
}

const outcome = fc.oneof(jsonNumber, wellFormedText(0, 60));

const validPrediction: fc.Arbitrary<ValidPrediction> = fc
  .record({
    eventId: wellFormedText(1, 128),
    model: modelName,
    modelVersion: fc.option(fc.oneof(wellFormedText(1, 128), jsonNumber), { nil: undefined }),
    time: validTime,
    features: validFeatures,
    prediction: fc.option(outcome, { nil: undefined }),
    label: fc.option(fc.option(outcome), { nil: undefined }),
    extra: unknownFields,
  })
  .map(({ eventId, model, modelVersion, time, features, prediction, label, extra }) => ({
    time,
    event: objectOf([
      ...extra,
      ["event_id", eventId],
      ["model", model],
      ...(modelVersion !== undefined ? [["model_version", modelVersion] as const] : []),
      ...(time.json !== undefined ? [["timestamp", time.json] as const] : []),
      ["features", features],
      ...(prediction !== undefined ? [["prediction", prediction] as const] : []),
      ...(label !== undefined ? [["label", label] as const] : []),
    ]),
  }));

const validLabelEvent: fc.Arbitrary<ValidPrediction> = fc
  .record({
    eventId: wellFormedText(1, 128),
    model: modelName,
    time: validTime,
    label: outcome,
    extra: unknownFields,
  })
  .map(({ eventId, model, time, label, extra }) => ({
    time,
    event: objectOf([
      ...extra,
      ["event_id", eventId],
      ["model", model],
      ...(time.json !== undefined ? [["timestamp", time.json] as const] : []),
      ["label", label],
    ]),
  }));

// ---------------------------------------------------------------------------------------------
// Validation harness.

const KAFKA_TS = Date.UTC(2026, 10, 23, 9, 30, 0, 250);
const INGESTED_AT = 1_800_000_000;
const LIMIT = 4_000_000;
/** Reasons the validators give (the others come from the model gate and the store). */
const VALIDATOR_REASONS = Object.keys(DEAD_LETTER_REASONS).filter(
  (reason) => !["model_not_allowed", "too_many_models", "store_rejected"].includes(reason),
);
const PAYLOAD_REASONS = ["too_large", "not_utf8", "invalid_json", "invalid_text"];

function message(value: Buffer | null): IncomingMessage {
  return { topic: "preds", partition: 3, offset: 77, timestampMs: KAFKA_TS, value };
}

function bytesOf(event: unknown): Buffer {
  return Buffer.from(JSON.stringify(event) ?? "", "utf8");
}

/**
 * The same JSON text with every non-ASCII UTF-16 unit written as a \\uXXXX escape (a pair as two
 * escapes) and the hex digits of every escape in `upper` case: other bytes, the same value.
 */
function escapedJson(text: string, upper: boolean): string {
  const hex = (digits: string) => (upper ? digits.toUpperCase() : digits.toLowerCase());
  // Left to right, so an escaped backslash ("\\\\") is never read as the start of "\\u".
  return text.replace(/\\(?:u[0-9a-fA-F]{4}|[^u])|[\u0080-\uffff]/g, (token) => {
    if (!token.startsWith("\\"))
      return `\\u${hex(token.charCodeAt(0).toString(16).padStart(4, "0"))}`;
    return token[1] === "u" ? `\\u${hex(token.slice(2))}` : token;
  });
}

type Validator = typeof validatePrediction | typeof validateLabel;
const VALIDATORS: readonly (readonly [string, Validator])[] = [
  ["validatePrediction", validatePrediction],
  ["validateLabel", validateLabel],
];

/** Every string a row carries (text columns and array elements). */
function rowStrings(verdict: Verdict<object>): string[] {
  if (!verdict.ok) return [];
  const strings: string[] = [];
  for (const value of Object.values(verdict.row)) {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value))
      strings.push(...value.filter((item) => typeof item === "string"));
  }
  return strings;
}

/**
 * Validate `bytes` with `validate` and check what holds for every payload: no exception; a known
 * reason with a storable detail of at most MAX_DETAIL_CHARS, or a row of well-formed strings;
 * and the payload-level reason the independent model predicts.
 */
function checkVerdict(
  validate: Validator,
  bytes: Buffer | null,
  maxEventBytes = LIMIT,
): Verdict<object> {
  const verdict: Verdict<object> = validate(message(bytes), { maxEventBytes }, INGESTED_AT);
  const expected = bytes === null ? "invalid_json" : payloadReason(bytes, maxEventBytes);
  if (verdict.ok) {
    expect(expected).toBeUndefined();
    for (const text of rowStrings(verdict)) expect(text.isWellFormed()).toBe(true);
    return verdict;
  }
  expect(VALIDATOR_REASONS).toContain(verdict.reason);
  expect(verdict.detail.isWellFormed()).toBe(true);
  expect(verdict.detail).not.toBe("");
  expect(codePoints(verdict.detail)).toBeLessThanOrEqual(MAX_DETAIL_CHARS);
  if (expected !== undefined) expect(verdict.reason).toBe(expected);
  else expect(PAYLOAD_REASONS).not.toContain(verdict.reason);
  return verdict;
}

/** The row a valid prediction event must become (computed from the event, not the validator). */
function expectedPredictionRow({ event, time }: ValidPrediction) {
  const features = event.features as Record<string, unknown>;
  const split = {
    num_names: [] as string[],
    num_values: [] as number[],
    cat_names: [] as string[],
    cat_values: [] as string[],
    missing_names: [] as string[],
  };
  for (const name of Object.keys(features)) {
    const value = features[name];
    if (value === null) split.missing_names.push(name);
    else if (typeof value === "number") {
      split.num_names.push(name);
      split.num_values.push(value);
    } else {
      split.cat_names.push(name);
      split.cat_values.push(String(value));
    }
  }
  const text = (value: unknown) =>
    value === undefined || value === null ? null : String(value as string | number);
  const number = (value: unknown) => (typeof value === "number" ? value : null);
  const ms = time.ms ?? KAFKA_TS;
  const version = event.model_version;
  return {
    model: event.model,
    model_version: version === undefined ? "unknown" : String(version as string | number),
    event_id: event.event_id,
    ts: Math.floor(ms / 1000),
    ts_ms: ms % 1000,
    ...split,
    prediction: text(event.prediction),
    prediction_value: number(event.prediction),
    label: text(event.label),
    label_value: number(event.label),
    kafka_topic: "preds",
    kafka_partition: 3,
    kafka_offset: 77,
    ingested_at: INGESTED_AT,
  };
}

// ---------------------------------------------------------------------------------------------

describe("storedText on any string", () => {
  it("is well-formed, within the limit, and the well-formed input or a prefix of it plus …", () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 1, max: 60 }), (input, limit) => {
        const wellFormed = input.toWellFormed();
        const unlimited = storedText(input);
        expect(unlimited).toBe(wellFormed);
        const stored = storedText(input, limit);
        expect(stored.isWellFormed()).toBe(true);
        expect(codePoints(stored)).toBeLessThanOrEqual(limit);
        if (codePoints(wellFormed) <= limit) {
          expect(stored).toBe(wellFormed);
        } else {
          expect(stored.endsWith("…")).toBe(true);
          expect(wellFormed.startsWith(stored.slice(0, -1))).toBe(true);
          // Nothing is cut that did not have to be: the result uses the whole limit.
          expect(codePoints(stored)).toBe(limit);
        }
      }),
      { seed: 20_261_123, numRuns: 200 },
    );
  });

  it("cuts between the halves of no pair, whatever the limit", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("😀", "a", "🇫🇷", "\ud800"),
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 40 }),
        (input, limit) => {
          const stored = storedText(input, limit);
          expect(stored.isWellFormed()).toBe(true);
          expect(storedText(stored, limit)).toBe(stored); // idempotent
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it("keeps nothing at a limit of 0 and only the ellipsis at 1", () => {
    expect(storedText("", 0)).toBe("");
    expect(storedText("\ud800", 0)).toBe("");
    expect(storedText("😀", 1)).toBe("😀");
    expect(storedText("😀😀", 1)).toBe("…");
    expect(storedText("a😀", 2)).toBe("a😀");
    expect(storedText("a😀b", 2)).toBe("a…");
  });

  it("handles strings of a million characters (lone surrogates, pairs, cut pairs)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: nastyUnit, minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1_200_000 }),
        (pattern, limit) => {
          const input = pattern.repeat(Math.ceil(1_000_000 / pattern.length));
          const wellFormed = input.toWellFormed();
          const stored = storedText(input, limit);
          expect(stored.isWellFormed()).toBe(true);
          const length = codePoints(wellFormed);
          if (length <= limit) expect(stored === wellFormed).toBe(true);
          else {
            expect(codePoints(stored)).toBe(limit);
            expect(stored.endsWith("…") && wellFormed.startsWith(stored.slice(0, -1))).toBe(true);
          }
          expect(storedText(input) === wellFormed).toBe(true);
        },
      ),
      { seed: 1_000_000, numRuns: 6 },
    );
  });

  it("agrees with the other text helpers", () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 0, max: 60 }), (input, limit) => {
        expect(hasLoneSurrogate(input)).toBe(!input.isWellFormed());
        const at = loneSurrogateIndex(input);
        const points = Array.from(input);
        if (input.isWellFormed()) expect(at).toBe(-1);
        else {
          expect(points[at]!.isWellFormed()).toBe(false);
          expect(points.slice(0, at).join("").isWellFormed()).toBe(true);
        }
        expect(exceedsCodePoints(input, limit)).toBe(points.length > limit);
        const quoted = quotedText(input, Math.max(limit, 1));
        const unquoted: unknown = JSON.parse(quoted);
        expect(unquoted).toBe(storedText(input, Math.max(limit, 1)));
      }),
      { seed: 424_242, numRuns: 200 },
    );
  });
});

describe.each(VALIDATORS)("%s on hostile payloads", (_name, validate) => {
  it("never throws; a known reason with a storable detail, or a row of well-formed strings", () => {
    // Each field valid, storable but hostile (any type, NUL, "\\ud800" text, huge), or absent.
    const field = (valid: fc.Arbitrary<unknown>) =>
      fc.option(
        fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: storableHostileValue }),
        { nil: undefined },
      );
    const storableEvent = fc
      .record({
        event_id: field(wellFormedText(1, 128)),
        model: field(modelName),
        model_version: field(fc.oneof(wellFormedText(1, 128), jsonNumber)),
        timestamp: field(validTime.map((time) => time.json)),
        features: field(
          fc.oneof(
            validFeatures,
            fc
              .array(fc.tuple(storableHostileString, storableHostileValue), { maxLength: 5 })
              .map(objectOf),
          ),
        ),
        prediction: field(outcome),
        label: field(outcome),
        extra: fc.array(fc.tuple(storableHostileString, storableHostileValue), { maxLength: 3 }),
      })
      .map(({ extra, ...fields }) =>
        objectOf([...extra, ...Object.entries(fields).filter(([, value]) => value !== undefined)]),
      );
    // A third of them get one lone surrogate somewhere: a key or a value, at any depth.
    const event = fc
      .tuple(
        fc.oneof(
          { weight: 4, arbitrary: storableEvent },
          { weight: 1, arbitrary: storableHostileValue },
        ),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom("\ud800", "\udfff", "\ud83d", "\ude00")), {
          freq: 2,
        }),
      )
      .map(([value, poison]) => (poison === null ? value : poisoned(value, poison[0], poison[1])));
    fc.assert(
      fc.property(fc.oneof({ weight: 5, arbitrary: event }, hostileValue), (value) => {
        const bytes = bytesOf(value);
        const verdict = checkVerdict(validate, bytes);
        const parsed: unknown = JSON.parse(bytes.toString("utf8"));
        // A lone surrogate anywhere in a parseable payload: invalid_text, and only then.
        expect(!verdict.ok && verdict.reason === "invalid_text").toBe(holdsLoneSurrogate(parsed));
        if (verdict.ok) {
          const event = parsed as Record<string, unknown>;
          expect(verdict.row).toMatchObject({ event_id: event.event_id, model: event.model });
        }
      }),
      { seed: 1_123, numRuns: 200 },
    );
  });

  it("gives the same verdict whatever the escaping (\\uD83D\\uDE00 pairs, upper-case hex)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validPrediction.map(({ event }) => event),
          storableHostileValue,
          hostileValue,
        ),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom("\ud800", "\udbff", "\udc00")), { freq: 3 }),
        fc.boolean(),
        (value, poison, upper) => {
          const text = JSON.stringify(poison === null ? value : poisoned(value, ...poison));
          const plain = checkVerdict(validate, Buffer.from(text, "utf8"));
          const escaped = escapedJson(text, upper);
          expect(/[\u0080-\uffff]/.test(escaped)).toBe(false); // ASCII only
          expect(JSON.parse(escaped)).toEqual(JSON.parse(text));
          expect(checkVerdict(validate, Buffer.from(escaped, "utf8"))).toEqual(plain);
        },
      ),
      { seed: 55_296, numRuns: 200 },
    );
    // The smallest cases by hand: a pair written as escapes is text, a lone half is not.
    const event = (id: string) => `{"event_id":"${id}","model":"m","features":{},"label":1}`;
    expect(checkVerdict(validate, Buffer.from(event("\\uD83D\\uDE00")))).toMatchObject({
      ok: true,
      row: { event_id: "😀" },
    });
    for (const id of ["\\uD83D", "\\uDE00x", "a\\uDBFF\\u0041", "\\uDE00\\uD83D"]) {
      expect(checkVerdict(validate, Buffer.from(event(id)))).toMatchObject({
        ok: false,
        reason: "invalid_text",
      });
    }
  });

  it("dead-letters raw bytes, invalid UTF-8 and broken JSON by the payload checks", () => {
    const invalidUtf8 = fc.constantFrom(
      [0xff],
      [0xc3, 0x28], // a lead byte without its continuation
      [0xed, 0xa0, 0x80], // a surrogate (CESU-8), never valid UTF-8
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xc0, 0xaf], // overlong "/"
      [0xe2, 0x82], // truncated "€"
    );
    const mutated = fc
      .tuple(
        validPrediction.map(({ event }) => bytesOf(event)),
        fc.nat(),
        fc.oneof(
          invalidUtf8.map((bytes) => ({ kind: "insert" as const, bytes })),
          fc.constant({ kind: "truncate" as const, bytes: [] as number[] }),
          fc.constant({ kind: "bom" as const, bytes: [0xef, 0xbb, 0xbf] }),
        ),
      )
      .map(([bytes, position, change]) => {
        const at = position % (bytes.length + 1);
        if (change.kind === "truncate") return bytes.subarray(0, at);
        const insertAt = change.kind === "bom" ? 0 : at;
        return Buffer.concat([
          bytes.subarray(0, insertAt),
          Buffer.from(change.bytes),
          bytes.subarray(insertAt),
        ]);
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
          mutated,
          fc.constant(null),
        ),
        fc.oneof(fc.constant(LIMIT), fc.integer({ min: 1, max: 400 })),
        (bytes, maxEventBytes) => {
          checkVerdict(validate, bytes, maxEventBytes);
        },
      ),
      { seed: 31_337, numRuns: 200 },
    );
    // Each invalid sequence on its own, inside a valid event's text: not_utf8.
    const text = '{"event_id":"e","model":"m","features":{},"label":1,"x":"_"}';
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const bytes = Buffer.concat([
        Buffer.from(text.slice(0, -3)),
        Buffer.from(bad),
        Buffer.from(text.slice(-3)),
      ]);
      expect(checkVerdict(validate, bytes)).toMatchObject({ ok: false, reason: "not_utf8" });
    }
  });

  it("handles megabyte fields, naming where a lone surrogate sits", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100_000, max: 500_000 }),
        fc.constantFrom("event_id", "extra", "feature value", "feature name", "label"),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        (emoji, where, poisonAt) => {
          // Up to a million UTF-16 units (2 MB of UTF-8), one lone surrogate at a known place.
          const at = poisonAt === null ? -1 : Math.floor(poisonAt * emoji);
          const huge =
            at < 0 ? "😀".repeat(emoji) : `${"😀".repeat(at)}\ud800${"😀".repeat(emoji - at)}`;
          const event: Record<string, unknown> = {
            event_id: where === "event_id" ? huge : "e",
            model: "m",
            features: objectOf([
              ["a", where === "feature value" ? huge : 1],
              ...(where === "feature name" ? [[huge, 2] as const] : []),
            ]),
            label: where === "label" ? huge : "yes",
            ...(where === "extra" ? { note: [huge] } : {}),
          };
          const verdict = checkVerdict(validate, bytesOf(event));
          if (at >= 0) {
            expect(verdict).toMatchObject({ ok: false, reason: "invalid_text" });
            expect(!verdict.ok && verdict.detail).toContain(`at character ${at};`);
          } else if (where === "event_id") {
            expect(verdict).toMatchObject({ ok: false, reason: "bad_event_id" });
          } else if (where === "feature name" && validate === validatePrediction) {
            expect(verdict).toMatchObject({ ok: false, reason: "bad_feature" });
            expect(!verdict.ok && verdict.detail).toMatch(/longer than 256 characters$/);
          } else {
            expect(verdict.ok).toBe(true);
            if (where === "label") {
              expect(verdict.ok && (verdict.row as { label: string }).label === huge).toBe(true);
            }
          }
        },
      ),
      { seed: 1_048_576, numRuns: 5 },
    );
  });

  it("survives 20,000 levels of nesting in an unknown field and in the features", () => {
    const leaf = fc.oneof(hostileString, fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(20_000), fc.integer({ min: 1, max: 20_000 })),
        fc.constantFrom("array", "object"),
        fc.string({ unit: nastyUnit, maxLength: 3 }),
        leaf,
        fc.constantFrom("extra", "feature"),
        (depth, shape, key, value, where) => {
          const deep =
            shape === "array"
              ? `${"[".repeat(depth)}${JSON.stringify(value)}${"]".repeat(depth)}`
              : `${`{${JSON.stringify(key)}:`.repeat(depth)}${JSON.stringify(value)}${"}".repeat(depth)}`;
          const payload =
            where === "extra"
              ? `{"event_id":"e","model":"m","features":{"a":1},"label":"yes","deep":${deep}}`
              : `{"event_id":"e","model":"m","features":{"a":1,"deep":${deep}},"label":2}`;
          const verdict = checkVerdict(validate, Buffer.from(payload, "utf8"));
          const poisoned =
            !(typeof value !== "string" || value.isWellFormed()) ||
            (shape === "object" && !key.isWellFormed());
          if (poisoned) expect(verdict).toMatchObject({ ok: false, reason: "invalid_text" });
          else if (where === "extra") expect(verdict.ok).toBe(true);
          else if (validate === validatePrediction) {
            expect(verdict).toMatchObject({ ok: false, reason: "bad_feature" });
            expect(!verdict.ok && verdict.detail).toMatch(/^features\.deep: /);
          } else expect(verdict.ok).toBe(true); // labels ignore features
        },
      ),
      { seed: 20_000, numRuns: 30 },
    );
  });
});

describe("valid events stay valid", () => {
  it("validatePrediction: ok, with exactly the event's values in the row", () => {
    fc.assert(
      fc.property(validPrediction, (generated) => {
        const verdict = checkVerdict(validatePrediction, bytesOf(generated.event));
        expect(verdict).toEqual({ ok: true, row: expectedPredictionRow(generated) });
      }),
      { seed: 8_080, numRuns: 200 },
    );
  });

  it("validateLabel: ok, with exactly the event's values in the row", () => {
    fc.assert(
      fc.property(validLabelEvent, ({ event, time }) => {
        const verdict = checkVerdict(validateLabel, bytesOf(event));
        const ms = time.ms ?? KAFKA_TS;
        expect(verdict).toEqual({
          ok: true,
          row: {
            model: event.model,
            event_id: event.event_id,
            label: String(event.label as string | number),
            label_value: typeof event.label === "number" ? event.label : null,
            ts: Math.floor(ms / 1000),
            kafka_topic: "preds",
            kafka_partition: 3,
            kafka_offset: 77,
            ingested_at: INGESTED_AT,
          },
        });
      }),
      { seed: 9_090, numRuns: 200 },
    );
  });
});

/** One field of a valid event made invalid: the reason expected and the field the detail names. */
interface Breakage {
  readonly field: string;
  readonly value: unknown;
  readonly reason: DeadLetterReason;
  readonly detail: RegExp;
  readonly onlyPrediction?: boolean;
  /** JSON number text put where RAW_NUMBER is (JSON.stringify cannot write 1e400). */
  readonly raw?: string;
  /** The detail's exact length in code points, when the detail cap must apply. */
  readonly detailLength?: number;
}

/** Control characters: JSON writes each as a six-character \\u00XX escape. */
const controlText = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom("\u0000", "\u0001", "\u000b", "\u001f"),
    minLength: min,
    maxLength: max,
  });

/**
 * Details that quote data keep their explanation within MAX_DETAIL_CHARS: a model name of 80+
 * control characters (each a six-character \\u00XX escape once quoted) is quoted only in part,
 * and a lone surrogate under 5+ levels of 40-character control-character keys is named by a path
 * cut at 200 characters, so "does not match" and "holds a lone UTF-16 surrogate" always remain.
 */
const overlongDetails: fc.Arbitrary<Breakage> = fc.oneof(
  controlText(80, 120).map((value) => ({
    field: "model",
    value,
    reason: "bad_model_name" as const,
    detail: /^model: "(\\u00[0-9a-f]{2})+…" does not match /s,
  })),
  fc.tuple(controlText(40, 60), fc.integer({ min: 5, max: 8 })).map(([key, depth]) => {
    let value: unknown = "\ud800";
    for (let level = 0; level < depth; level++) value = objectOf([[key, value]]);
    return {
      field: "deep",
      value,
      reason: "invalid_text" as const,
      detail:
        /^deep\."(\\u00[0-9a-f]{2})+.*: the value holds a lone UTF-16 surrogate at character 0/s,
    };
  }),
);

const RAW_NUMBER = "\u0001raw number\u0001";

/** JSON numbers that parse to ±Infinity, in every field that takes a number. */
const infiniteBreakages: fc.Arbitrary<Breakage> = fc
  .tuple(
    fc.constantFrom("1e400", "-1e999", "1E309"),
    fc.constantFrom<Omit<Breakage, "raw">>(
      {
        field: "prediction",
        value: RAW_NUMBER,
        reason: "wrong_type",
        detail: /^prediction: number out of range$/,
        onlyPrediction: true,
      },
      {
        field: "label",
        value: RAW_NUMBER,
        reason: "wrong_type",
        detail: /^label: number out of range$/,
      },
      {
        field: "timestamp",
        value: RAW_NUMBER,
        reason: "bad_timestamp",
        detail: /^timestamp: epoch milliseconds must be an integer$/,
      },
      {
        field: "model_version",
        value: RAW_NUMBER,
        reason: "wrong_type",
        detail: /^model_version: expected a string, got number$/,
        onlyPrediction: true,
      },
      {
        field: "event_id",
        value: RAW_NUMBER,
        reason: "wrong_type",
        detail: /^event_id: expected a string, got number$/,
      },
      {
        field: "features",
        value: objectOf([
          ["a", 1],
          ["x", RAW_NUMBER],
        ]),
        reason: "bad_feature",
        detail: /^features\.x: number is not finite$/,
        onlyPrediction: true,
      },
    ),
  )
  .map(([raw, breakage]) => ({ ...breakage, raw }));

const breakages: fc.Arbitrary<Breakage> = fc.oneof(
  infiniteBreakages,
  overlongDetails,
  nonString.map((value) => ({
    field: "event_id",
    value,
    reason: "wrong_type" as const,
    detail: /^event_id: expected a string/,
  })),
  fc.oneof(fc.constant(""), wellFormedText(129, 200)).map((value) => ({
    field: "event_id",
    value,
    reason: "bad_event_id" as const,
    detail: /^event_id: must be 1 to 128 characters$/,
  })),
  nonString.map((value) => ({
    field: "model",
    value,
    reason: "wrong_type" as const,
    detail: /^model: expected a string/,
  })),
  hostileString
    .filter((value) => !/^[A-Za-z0-9_.-]{1,64}$/.test(value))
    .map((value) => ({
      field: "model",
      value,
      reason: "bad_model_name" as const,
      detail: /^model: ".*" does not match/s,
    })),
  fc.oneof(fc.boolean(), fc.array(hostileValue, { maxLength: 2 })).map((value) => ({
    field: "model_version",
    value,
    reason: "wrong_type" as const,
    detail: /^model_version: expected a string/,
    onlyPrediction: true,
  })),
  fc.oneof(fc.constant(""), wellFormedText(129, 200)).map((value) => ({
    field: "model_version",
    value,
    reason: "bad_model_version" as const,
    detail: /^model_version: must be 1 to 128 characters$/,
    onlyPrediction: true,
  })),
  fc
    .oneof(
      fc.boolean(),
      fc.array(hostileValue, { maxLength: 2 }),
      fc.integer({ max: -1 }),
      fc.nat().map((extra) => MAX_EPOCH_MS + 1 + extra),
      fc.integer().map((value) => value + 0.5),
      hostileString.map((value) => `x${value}`), // cannot start like a date
    )
    .map((value) => ({
      field: "timestamp",
      value,
      reason: "bad_timestamp" as const,
      detail: /^timestamp: /,
    })),
  fc.oneof(fc.boolean(), fc.array(hostileValue, { maxLength: 2 })).map((value) => ({
    field: "prediction",
    value,
    reason: "wrong_type" as const,
    detail: /^prediction: expected a number or a string/,
    onlyPrediction: true,
  })),
  fc.oneof(fc.boolean(), fc.array(hostileValue, { maxLength: 2 })).map((value) => ({
    field: "label",
    value,
    reason: "wrong_type" as const,
    detail: /^label: expected a number or a string/,
  })),
  fc
    .oneof(hostileString, fc.integer(), fc.boolean(), fc.array(hostileValue, { maxLength: 2 }))
    .map((value) => ({
      field: "features",
      value,
      reason: "wrong_type" as const,
      detail: /^features: expected an object/,
      onlyPrediction: true,
    })),
  fc
    .tuple(
      fc.oneof(
        wellFormedText(1, 30),
        hostileString.filter((name) => name !== "" && codePoints(name) <= 256),
      ),
      fc.oneof(
        fc.array(hostileValue, { maxLength: 2 }),
        fc.array(fc.tuple(hostileString, hostileValue), { maxLength: 2 }).map(objectOf),
      ),
    )
    .map(([name, value]) => ({
      field: "features",
      value: objectOf([
        ["ok", 1],
        [name, value],
      ]),
      reason: "bad_feature" as const,
      detail: /^features\..+: expected a number, string, boolean or null, got (array|object)$/s,
      onlyPrediction: true,
    })),
  fc.oneof(fc.constant(""), wellFormedText(257, 300)).map((name) => ({
    field: "features",
    value: objectOf([[name, 1]]),
    reason: "bad_feature" as const,
    detail: name === "" ? /^features: a feature name must not be empty$/ : /longer than 256/,
    onlyPrediction: true,
  })),
);

describe("one bad field in a valid event", () => {
  it.each(VALIDATORS)(
    "%s dead-letters it, naming the field (invalid_text first)",
    (_n, validate) => {
      const events = validate === validatePrediction ? validPrediction : validLabelEvent;
      fc.assert(
        fc.property(events, breakages, ({ event }, breakage) => {
          // A field the validator does not read for this topic is an unknown field there.
          const read = breakage.onlyPrediction !== true || validate === validatePrediction;
          const broken = objectOf([
            ...Object.entries(event).filter(([key]) => key !== breakage.field),
            [breakage.field, breakage.value],
          ]);
          const text = JSON.stringify(broken);
          const bytes = Buffer.from(
            breakage.raw === undefined
              ? text
              : text.replace(JSON.stringify(RAW_NUMBER), breakage.raw),
            "utf8",
          );
          const verdict = checkVerdict(validate, bytes);
          if (breakage.reason === "invalid_text") {
            expect(verdict).toMatchObject({ ok: false, reason: "invalid_text" });
            expect(!verdict.ok && verdict.detail).toMatch(breakage.detail);
          } else if (holdsLoneSurrogate(JSON.parse(bytes.toString("utf8")))) {
            expect(verdict).toMatchObject({ ok: false, reason: "invalid_text" });
            expect(!verdict.ok && verdict.detail).toMatch(/holds a lone UTF-16 surrogate/);
          } else if (!read) {
            expect(verdict.ok).toBe(true);
          } else {
            expect(verdict).toMatchObject({ ok: false, reason: breakage.reason });
            expect(!verdict.ok && verdict.detail).toMatch(breakage.detail);
          }
          if (breakage.detailLength !== undefined && !verdict.ok) {
            expect(codePoints(verdict.detail)).toBe(breakage.detailLength);
          }
        }),
        { seed: 4_711, numRuns: 200 },
      );
    },
  );
});
