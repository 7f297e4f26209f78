// The simulated credit-risk classifier of the demo: a seeded generator of applicant features, the
// true default behaviour (which drifts), the model versions' scores, and the timeline of days
// (a reference week, drifting days, days after the retrained version is deployed).
export const DEMO_MODEL = "credit-risk";
export const DAY_MS = 86_400_000;

export type Features = {
  age: number;
  income: number;
  region: string;
  employed: boolean;
  debt_ratio: number;
};

export interface SimulatedEvent {
  readonly eventId: string;
  readonly modelVersion: "1" | "2";
  readonly ts: number;
  readonly features: Features;
  readonly score: number;
  readonly label: 0 | 1;
  /** Whether the label travels with the event (false: it arrives later on the labels topic). */
  readonly labelInline: boolean;
}

/** How one simulated day differs from the reference week. */
export interface DayProfile {
  readonly phase: "reference" | "drift" | "retrained";
  /** Multiplicative income shift (0.2 = incomes 20 % higher). */
  readonly incomeShift: number;
  /** Share of applicants from the new region LATAM. */
  readonly latamShare: number;
  /** 0 = the old default behaviour, 1 = the new one (concept drift). */
  readonly concept: number;
}

export const ROWS_PER_DAY = 600;

/** The 14 simulated days, oldest first; the last one ends at today's UTC midnight. */
export const DAY_PROFILES: readonly DayProfile[] = [
  ...Array.from({ length: 7 }, () => ({
    phase: "reference" as const,
    incomeShift: 0,
    latamShare: 0,
    concept: 0,
  })),
  { phase: "drift", incomeShift: 0.02, latamShare: 0, concept: 0.15 },
  { phase: "drift", incomeShift: 0.1, latamShare: 0.08, concept: 0.45 },
  { phase: "drift", incomeShift: 0.22, latamShare: 0.25, concept: 1 },
  { phase: "drift", incomeShift: 0.22, latamShare: 0.25, concept: 1 },
  ...Array.from({ length: 3 }, () => ({
    phase: "retrained" as const,
    incomeShift: 0.22,
    latamShare: 0.25,
    concept: 1,
  })),
];

/** Deterministic PRNG (mulberry32) so every run simulates the same population. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function standardized(features: Features) {
  return {
    debt: (features.debt_ratio - 0.35) / 0.12,
    income: Math.log(features.income / 52_000) / 0.35,
    age: (features.age - 42) / 11,
    employed: features.employed ? 0.15 : -0.85,
    latam: features.region === "LATAM" ? 1 : 0,
  };
}

/** Log-odds of default as the reference week behaved (and version 1 learned). */
function oldConcept(features: Features): number {
  const x = standardized(features);
  return -0.4 + 1.6 * x.debt - 1.2 * x.income - 0.3 * x.age - 0.8 * x.employed;
}

/** Log-odds of default after the concept drift (what version 2 learned). */
function newConcept(features: Features): number {
  const x = standardized(features);
  return -0.4 + 1.6 * x.debt + 0.6 * x.income + 0.9 * x.age - 0.8 * x.employed + 1.5 * x.latam;
}

export function scoreOf(version: "1" | "2", features: Features): number {
  const z = version === "1" ? oldConcept(features) : newConcept(features);
  return Math.round(sigmoid(z) * 10_000) / 10_000;
}

function applicant(random: Random, day: DayProfile): Features {
  const age = Math.round(Math.min(80, Math.max(18, 42 + 11 * random.normal())));
  const income =
    Math.round(52_000 * Math.exp(0.35 * random.normal()) * (1 + day.incomeShift) * 100) / 100;
  const u = random.next();
  let region: string;
  if (u < day.latamShare) region = "LATAM";
  else {
    const v = (u - day.latamShare) / (1 - day.latamShare);
    region = v < 0.45 ? "EU" : v < 0.8 ? "US" : "APAC";
  }
  const employed = random.next() < 0.85;
  const debt = Math.round(Math.min(1.5, Math.max(0, 0.35 + 0.12 * random.normal())) * 1000) / 1000;
  return { age, income, region, employed, debt_ratio: debt };
}

/** Every simulated event; `runId` makes the event ids unique to this run. */
export function simulate(runId: string, todayMs: number): SimulatedEvent[] {
  const random = new Random(20261123);
  const firstDay = todayMs - DAY_PROFILES.length * DAY_MS;
  const events: SimulatedEvent[] = [];
  DAY_PROFILES.forEach((day, dayIndex) => {
    const version = day.phase === "retrained" ? "2" : "1";
    for (let row = 0; row < ROWS_PER_DAY; row++) {
      const features = applicant(random, day);
      const z = (1 - day.concept) * oldConcept(features) + day.concept * newConcept(features);
      const label: 0 | 1 = z + 0.4 * random.normal() > 0 ? 1 : 0;
      const ts =
        firstDay + dayIndex * DAY_MS + Math.floor(((row + random.next()) / ROWS_PER_DAY) * DAY_MS);
      events.push({
        eventId: `${runId}-${String(dayIndex).padStart(2, "0")}-${String(row).padStart(4, "0")}`,
        modelVersion: version,
        ts: Math.min(ts, firstDay + (dayIndex + 1) * DAY_MS - 1),
        features,
        score: scoreOf(version, features),
        label,
        labelInline: day.phase !== "drift",
      });
    }
  });
  return events;
}

/** The day index (0 = oldest) of an event. */
export function dayOf(event: SimulatedEvent, todayMs: number): number {
  return DAY_PROFILES.length - Math.ceil((todayMs - event.ts) / DAY_MS);
}
