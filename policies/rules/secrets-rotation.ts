/**
 * Every stored secret rotates, often enough: an AWS Secrets Manager secret needs a SecretRotation in
 * the same stack that targets it (matched by property dependency on `secretId`, or by a known ARN /
 * id / name), enabled and scheduled at most every `maxRotationDays`; a GCP Secret Manager secret
 * needs `rotation.rotationPeriod` within the maximum and Pub/Sub `topics` (without a topic the
 * rotation notification goes nowhere). Secrets that only hold identifiers can be listed in config.
 */
import { stackRule, RuleResource, StackFinding } from "../rule";
import { globMatch } from "../config";

interface Config {
  maxRotationDays: number;
  identifierSecrets: string[];
}

const AWS_SECRET = "aws:secretsmanager/secret:Secret";
const AWS_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const GCP_SECRET = "gcp:secretmanager/secret:Secret";

const MONTHS: Record<string, number> = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };

const WEEKDAYS: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** A day of a month: its month (1-12), day, days in the month and weekday (1 = Sunday … 7 = Saturday, as in cron). */
interface CalendarDay {
  m: number;
  d: number;
  last: number;
  wd: number;
}
type DayTest = (day: CalendarDay) => boolean;

/** Values of one cron list part ("5", "1-10", "3/7", "*\/2", "1-20/3") between `min` and `max`; undefined when unreadable. */
function cronPart(part: string, min: number, max: number, num: (s: string) => number): number[] | undefined {
  const [range, stepS, extra] = part.split("/");
  if (extra !== undefined || range === "") return undefined;
  const step = stepS === undefined ? 1 : /^\d+$/.test(stepS) ? Number(stepS) : NaN;
  if (!(step >= 1)) return undefined;
  const bounds = range === "*" ? [min, max] : range.split("-").map(num);
  if (bounds.length > 2) return undefined;
  const lo = bounds[0]!;
  const hi = bounds.length === 2 ? bounds[1]! : stepS !== undefined ? max : lo;
  if (![lo, hi].every((x) => Number.isInteger(x) && x >= min && x <= max) || lo > hi) return undefined;
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

/** Values of a cron list field ("1,15", "JAN-MAR,OCT", "1/7"): every part read by cronPart; undefined when a part is unreadable. */
function cronList(field: string, min: number, max: number, num: (s: string) => number): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const values = cronPart(part, min, max, num);
    if (!values) return undefined;
    for (const v of values) out.add(v);
  }
  return out;
}

/**
 * Months named by an AWS cron month field ("*", "1,7", "JAN-MAR", "*\/3"), read part by part with the
 * same grammar as the day fields: a part with two dashes or slashes, a non-integer step, a reversed
 * range or a number outside 1-12 makes the field unreadable (AWS refuses such expressions).
 */
function cronMonths(field: string): number[] | undefined {
  if (field === "*" || field === "?") return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const out = cronList(field.toUpperCase(), 1, 12, (v) => MONTHS[v] ?? (/^\d+$/.test(v) ? Number(v) : NaN));
  return out && [...out].sort((a, b) => a - b);
}

/** Which days an AWS cron day-of-month field names ("*", "?", "L", "1,15", "29-31", "1/7"); undefined when unreadable. */
function domTest(field: string): DayTest | undefined {
  if (field === "*" || field === "?") return () => true;
  if (field.toUpperCase() === "L") return (x) => x.d === x.last;
  const days = cronList(field, 1, 31, (v) => (/^\d+$/.test(v) ? Number(v) : NaN));
  return days && ((x) => days.has(x.d));
}

/** Which days an AWS cron day-of-week field names ("*", "?", "MON", "2-6", "MON,THU", "FRI#1", "6L", "L" = Saturday); undefined when unreadable. */
function dowTest(field: string): DayTest | undefined {
  if (field === "*" || field === "?") return () => true;
  const f = field.toUpperCase();
  const weekday = (v: string) => WEEKDAYS[v] ?? (/^[1-7]$/.test(v) ? Number(v) : NaN);
  const nth = /^(\w+)#([1-5])$/.exec(f);
  if (nth) {
    const wd = weekday(nth[1]!);
    const n = Number(nth[2]);
    return Number.isNaN(wd) ? undefined : (x) => x.wd === wd && Math.ceil(x.d / 7) === n;
  }
  const lastOf = /^(\w*)L$/.exec(f);
  if (lastOf) {
    if (lastOf[1] === "") return (x) => x.wd === 7;
    const wd = weekday(lastOf[1]!);
    return Number.isNaN(wd) ? undefined : (x) => x.wd === wd && x.d + 7 > x.last;
  }
  const days = cronList(f, 1, 7, weekday);
  return days && ((x) => days.has(x.wd));
}

/** Years over which a schedule is counted: 28 years repeat the Gregorian calendar's weekdays and leap days (2025-2052). */
const CYCLE_START = 2025;
const CYCLE_YEARS = 28;
const CYCLE_DAYS = (Date.UTC(CYCLE_START + CYCLE_YEARS, 0, 1) - Date.UTC(CYCLE_START, 0, 1)) / 86_400_000;

/** Longest gap, in days, between consecutive days of the 28-year cycle that pass `test` (the cycle wrapping around); undefined if none does. */
function calendarGapDays(months: ReadonlySet<number>, test: DayTest): number | undefined {
  let first: number | undefined;
  let prev: number | undefined;
  let gap = 0;
  let n = 0;
  let wd = new Date(Date.UTC(CYCLE_START, 0, 1)).getUTCDay() + 1;
  for (let y = CYCLE_START; y < CYCLE_START + CYCLE_YEARS; y++) {
    for (let m = 1; m <= 12; m++) {
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      for (let d = 1; d <= last; d++, n++, wd = (wd % 7) + 1) {
        if (!months.has(m) || !test({ m, d, last, wd })) continue;
        if (prev !== undefined) gap = Math.max(gap, n - prev);
        first ??= n;
        prev = n;
      }
    }
  }
  return first === undefined || prev === undefined ? undefined : Math.max(gap, first + CYCLE_DAYS - prev);
}

/** Gaps by day-of-month, months and day-of-week (a stack repeats a few schedules; a hostile one cannot grow this past CRON_CACHE_ENTRIES). */
const cronGaps = new Map<string, { days: number } | { error: string }>();
const CRON_CACHE_ENTRIES = 1024;

/**
 * The longest gap, in days, between two runs of a Secrets Manager schedule expression, or a reason
 * it cannot be determined. rate(N days|hours|minutes); cron(min hour dom month dow year), counted
 * day by day over a 28-year calendar cycle (days some months lack, n-th and last weekdays, steps).
 */
export function scheduleIntervalDays(expr: string): { days: number } | { error: string } {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i.exec(expr.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].toLowerCase();
    return { days: unit.startsWith("day") ? n : unit.startsWith("hour") ? n / 24 : n / 1440 };
  }
  const cron = /^cron\((.+)\)$/i.exec(expr.trim());
  if (!cron) return { error: "is neither rate(...) nor cron(...)" };
  const f = cron[1].trim().split(/\s+/);
  if (f.length !== 6) return { error: "cron needs 6 fields (minutes hours day-of-month month day-of-week year)" };
  const [, , dom, month, dow, year] = f;
  if (year !== "*") return { error: "a cron with a fixed year runs a bounded number of times" };
  const months = cronMonths(month);
  if (!months?.length) return { error: `cannot read month field ${JSON.stringify(month)}` };
  const byDom = domTest(dom);
  if (!byDom) return { error: `cannot read day-of-month field ${JSON.stringify(dom)}` };
  const byDow = dowTest(dow);
  if (!byDow) return { error: `cannot read day-of-week field ${JSON.stringify(dow)}` };
  const anyDom = dom === "*" || dom === "?";
  const anyDow = dow === "*" || dow === "?";
  if (!anyDom && !anyDow) return { error: "sets both day-of-month and day-of-week (one of them must be ?)" };
  const key = `${dom} ${months.join(",")} ${dow}`;
  let result = cronGaps.get(key);
  if (!result) {
    const gap = calendarGapDays(new Set(months), (x) => byDom(x) && byDow(x));
    result = gap === undefined ? { error: "never runs (no month it names has that day)" } : { days: gap };
    if (cronGaps.size >= CRON_CACHE_ENTRIES) cronGaps.clear();
    cronGaps.set(key, result);
  }
  return result;
}

/** GCP Duration string ("7776000s", "3600.5s") in days. */
function durationDays(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(s.trim());
  return m ? Number(m[1]) / 86400 : undefined;
}

export default stackRule<Config>({
  id: "secrets-rotation",
  title: "Ensure every stored secret rotates within the maximum period",
  description:
    "Flags AWS Secrets Manager secrets without a SecretRotation in the stack (or with one that is disabled or slower than " +
    "maxRotationDays) and GCP Secret Manager secrets without rotation, without a rotation topic, or with a longer rotationPeriod.",
  rationale:
    "A secret that never rotates stays valid after every leak, every departed engineer and every compromised agent " +
    "session that once read it; rotation bounds how long stolen material works",
  remediation:
    "Add an aws.secretsmanager.SecretRotation (rotationRules.automaticallyAfterDays or a rate()/cron() schedule within the " +
    "maximum) for each AWS secret; set rotation { rotationPeriod, nextRotationTime } and topics on each GCP secret. List " +
    "secrets that hold only identifiers in identifierSecrets.",
  standards: { nhi: ["NHI7", "NHI2"], agentic: ["ASI03"], maestro: ["L4", "L6"], csf: ["PR.AA-01"] },
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      maxRotationDays: { type: "number", minimum: 1, maximum: 1000, default: 90, description: "Longest allowed interval between rotations, in days." },
      identifierSecrets: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description: "Globs over the resource name, URN or secret name (AWS name, GCP secretId) of secrets that hold only identifiers (no rotation needed).",
      },
    },
  },
  checkStack(resources, ctx) {
    const { maxRotationDays, identifierSecrets } = ctx.config;
    const out: StackFinding[] = [];
    const isIdentifier = (r: RuleResource, secretName: unknown): boolean =>
      identifierSecrets.some(
        (g) => globMatch(g, r.name) || globMatch(g, r.urn) || (typeof secretName === "string" && globMatch(g, secretName)),
      );

    const awsSecrets = resources.filter((r) => r.type === AWS_SECRET);
    const rotations = resources.filter((r) => r.type === AWS_ROTATION);

    // Which secrets each rotation targets: by property dependency, or by a known ARN/id/name.
    const byRef = new Map<string, RuleResource>();
    for (const s of awsSecrets) {
      for (const k of ["arn", "id", "name"]) {
        const v = ctx.peek(() => (typeof s.props[k] === "string" ? (s.props[k] as string) : undefined));
        if (v) byRef.set(v, s);
      }
    }
    const rotationsOf = new Map<string, RuleResource[]>();
    for (const rot of rotations) {
      const targets = new Set<RuleResource>();
      for (const d of rot.propertyDependencies.secretId ?? []) if (d.type === AWS_SECRET) targets.add(d);
      if (!targets.size) {
        const id = ctx.guard(rot, () => rot.props.secretId as unknown);
        if (typeof id === "string" && byRef.has(id)) targets.add(byRef.get(id)!);
        else if (id !== undefined) for (const d of rot.dependencies) if (d.type === AWS_SECRET) targets.add(d);
      }
      for (const t of targets) rotationsOf.set(t.urn, [...(rotationsOf.get(t.urn) ?? []), rot]);
    }

    for (const s of awsSecrets) {
      const secretName = ctx.guard(s, () => s.props.name as unknown);
      if (isIdentifier(s, secretName)) continue;
      const rots = rotationsOf.get(s.urn) ?? [];
      if (!rots.length) {
        out.push({
          urn: s.urn,
          message: "must have an aws.secretsmanager.SecretRotation in the stack; got none targeting this secret",
          fix: `add a SecretRotation with secretId: <this secret>.id and rotationRules.automaticallyAfterDays <= ${maxRotationDays}, or list the secret in identifierSecrets if it holds only identifiers`,
          key: "no-rotation",
        });
        continue;
      }
      for (const rot of rots) {
        const checked = ctx.guard(rot, () => {
          const found: StackFinding[] = [];
          if (rot.props.rotationEnabled === false) {
            found.push({ urn: s.urn, message: `must rotate; got rotationEnabled: false on ${rot.name}`, path: `${rot.name}.rotationEnabled`, value: false, fix: "remove rotationEnabled: false", key: "rotation-disabled" });
          }
          const rules = rot.props.rotationRules as Record<string, unknown> | undefined;
          const after = rules?.automaticallyAfterDays;
          const schedule = rules?.scheduleExpression;
          if (typeof after === "number") {
            if (after > maxRotationDays) {
              found.push({ urn: s.urn, message: `must rotate at least every ${maxRotationDays} days; got automaticallyAfterDays ${after}`, path: `${rot.name}.rotationRules.automaticallyAfterDays`, value: after, fix: `set automaticallyAfterDays to ${maxRotationDays} or less`, key: "rotation-too-slow" });
            }
          } else if (typeof schedule === "string") {
            const iv = scheduleIntervalDays(schedule);
            if ("error" in iv) {
              found.push({ urn: s.urn, message: `must have a readable rotation schedule; got ${JSON.stringify(schedule)}, which ${iv.error}`, path: `${rot.name}.rotationRules.scheduleExpression`, value: schedule, fix: `use rate(N days) with N <= ${maxRotationDays}`, key: "rotation-schedule-unreadable" });
            } else if (iv.days > maxRotationDays) {
              found.push({ urn: s.urn, message: `must rotate at least every ${maxRotationDays} days; got ${JSON.stringify(schedule)} (up to ${Math.round(iv.days)} days apart)`, path: `${rot.name}.rotationRules.scheduleExpression`, value: schedule, fix: `use a schedule at most ${maxRotationDays} days apart`, key: "rotation-too-slow" });
            }
          } else {
            found.push({ urn: s.urn, message: "must have rotationRules.automaticallyAfterDays or scheduleExpression; got neither", path: `${rot.name}.rotationRules`, fix: `set rotationRules.automaticallyAfterDays <= ${maxRotationDays}`, key: "rotation-no-schedule" });
          }
          return found;
        });
        if (checked) out.push(...checked);
      }
    }

    for (const s of resources) {
      if (s.type !== GCP_SECRET) continue;
      const found = ctx.guard(s, () => {
        if (isIdentifier(s, s.props.secretId)) return [];
        const f: StackFinding[] = [];
        const rotation = s.props.rotation as Record<string, unknown> | undefined;
        const period = rotation?.rotationPeriod;
        if (typeof period !== "string") {
          f.push({ urn: s.urn, message: "must set rotation.rotationPeriod (and nextRotationTime); got no rotation", path: "rotation", fix: `set rotation { rotationPeriod: "${maxRotationDays * 86400}s", nextRotationTime } and a rotation topic`, key: "no-rotation" });
        } else {
          const days = durationDays(period);
          if (days === undefined || days > maxRotationDays) {
            f.push({ urn: s.urn, message: `must rotate at least every ${maxRotationDays} days; got rotationPeriod ${JSON.stringify(period)}${days !== undefined ? ` (${Math.round(days)} days)` : ""}`, path: "rotation.rotationPeriod", value: period, fix: `set rotationPeriod to "${maxRotationDays * 86400}s" or less`, key: "rotation-too-slow" });
          }
        }
        const topics = s.props.topics as unknown[] | undefined;
        if (!Array.isArray(topics) || topics.length === 0) {
          f.push({ urn: s.urn, message: "must name a Pub/Sub topic for rotation notifications; got no topics", path: "topics", fix: "add topics: [{ name: <topic>.id }] and grant the Secret Manager service agent roles/pubsub.publisher on it", key: "no-rotation-topic" });
        }
        return f;
      });
      if (found) out.push(...found);
    }

    // A rotation whose secretId is unknown and has no property dependency was already recorded as
    // an unknown by ctx.guard; secrets it may target are still reported (fail closed).
    return out;
  },
});
