/**
 * Rotation schedules on a fixed grid: period k of a credential starts at ROTATION_EPOCH + k × period.
 * A grid (rather than "now + period") keeps every plan within one period identical, so a re-run
 * of the program does not churn `nextRotationTime` or replace rotating resources.
 */
const DAY_MS = 86_400_000;
/** The grid's origin (UTC). */
export const ROTATION_EPOCH = Date.UTC(2026, 0, 1);

export interface RotationSchedule {
  rotationDays: number;
  /** Index of the current period on the grid. */
  generation: number;
  /** Start of the current period (RFC 3339, seconds). */
  periodStart: string;
  /** The next rotation (RFC 3339, seconds), at least `minLeadSeconds` after now. */
  next: string;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The current period and the next rotation of a `rotationDays` schedule at `now`. */
export function rotationSchedule(rotationDays: number, now: Date, opts: { minLeadSeconds?: number; offsetDays?: number } = {}): RotationSchedule {
  if (!Number.isInteger(rotationDays) || rotationDays < 1) throw new Error(`rotationDays must be a positive whole number; got ${rotationDays}`);
  const period = rotationDays * DAY_MS;
  const origin = ROTATION_EPOCH + (opts.offsetDays ?? 0) * DAY_MS;
  const generation = Math.floor((now.getTime() - origin) / period);
  const start = origin + generation * period;
  let next = start + period;
  if (next - now.getTime() < (opts.minLeadSeconds ?? 0) * 1000) next += period;
  return { rotationDays, generation, periodStart: iso(start), next: iso(next) };
}

/** One of the two overlapping IAM access keys: each lives 2 × rotationDays, the second offset by rotationDays. */
export interface KeySlot {
  slot: "a" | "b";
  /** The @pulumiverse/time Rotating's rotationDays (2 × the credential's period). */
  rotationDays: number;
  /** The Rotating's base timestamp: the start of this slot's current life (moves forward one grid step at each rotation). */
  rfc3339: string;
  /** When this slot's key is replaced. */
  nextRotation: string;
}

export interface KeyRotation {
  slots: [KeySlot, KeySlot];
  /** The slot whose key is newest: the one the secret holds and consumers switch to. */
  current: "a" | "b";
  /** Monotonic version of the secret value (one step per credential period). */
  secretVersion: number;
  /** The earliest next replacement of either key. */
  nextRotation: string;
}

/**
 * Rotation by replacement with two keys: slot a is replaced at 0, 2N, 4N … days on the grid, slot b
 * at N, 3N, 5N …; each key lives 2N days, so the previous key stays valid N days after the new one
 * appears in the secret store, and consumers switch within that window.
 */
export function keyRotation(rotationDays: number, now: Date): KeyRotation {
  const a = rotationSchedule(2 * rotationDays, now);
  const b = rotationSchedule(2 * rotationDays, now, { offsetDays: rotationDays });
  const slots: [KeySlot, KeySlot] = [
    { slot: "a", rotationDays: 2 * rotationDays, rfc3339: a.periodStart, nextRotation: a.next },
    { slot: "b", rotationDays: 2 * rotationDays, rfc3339: b.periodStart, nextRotation: b.next },
  ];
  const current = Date.parse(a.periodStart) >= Date.parse(b.periodStart) ? "a" : "b";
  const single = rotationSchedule(rotationDays, now);
  return { slots, current, secretVersion: single.generation + 1, nextRotation: single.next };
}
