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

/** Months named by an AWS cron month field ("*", "1,7", "JAN-MAR", "*\/3"). */
function cronMonths(field: string): number[] | undefined {
  if (field === "*" || field === "?") return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const out = new Set<number>();
  for (const part of field.toUpperCase().split(",")) {
    const [range, stepS] = part.split("/");
    const step = stepS ? Number(stepS) : 1;
    if (!Number.isInteger(step) || step < 1) return undefined;
    const num = (s: string) => (MONTHS[s] ?? Number(s));
    let lo: number, hi: number;
    if (range === "*") [lo, hi] = [1, 12];
    else if (range.includes("-")) [lo, hi] = range.split("-").map(num) as [number, number];
    else [lo, hi] = [num(range), stepS ? 12 : num(range)];
    if (![lo, hi].every((x) => Number.isInteger(x) && x >= 1 && x <= 12)) return undefined;
    for (let m = lo; m <= hi; m += step) out.add(m);
  }
  return [...out].sort((a, b) => a - b);
}

const WEEKDAYS: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** Days named by a plain AWS cron day-of-month field ("31", "1,15", "29-31"), else undefined. */
function cronDaysOfMonth(field: string): number[] | undefined {
  const out: number[] = [];
  for (const part of field.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    if (lo < 1 || hi > 31 || lo > hi) return undefined;
    for (let d = lo; d <= hi; d++) out.push(d);
  }
  return out.sort((a, b) => a - b);
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The day an AWS cron day-of-week field "D#n" or "DL" names in a month (none when the month has no n-th D). */
function nthWeekday(field: string): ((y: number, m: number) => number[]) | undefined {
  const f = /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(?:#([1-5])|(L))$/i.exec(field);
  if (!f) return undefined;
  const wd = (WEEKDAYS[f[1].toUpperCase()] ?? Number(f[1])) - 1; // 0 = Sunday, like getUTCDay
  return (y, m) => {
    const last = daysInMonth(y, m);
    if (f[3]) return [last - ((new Date(Date.UTC(y, m - 1, last)).getUTCDay() - wd + 7) % 7)];
    const day = 1 + ((wd - new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 7) % 7) + 7 * (Number(f[2]) - 1);
    return day <= last ? [day] : [];
  };
}

/** Longest gap, in days, between runs on `runDays(year, month)` of `months`, over 2025-2036 (three leap years); undefined if it never runs. */
function calendarGapDays(months: number[], runDays: (y: number, m: number) => number[]): number | undefined {
  let prev: number | undefined;
  let gap = 0;
  for (let y = 2025; y <= 2036; y++) {
    for (const m of months) {
      for (const d of runDays(y, m)) {
        const t = Date.UTC(y, m - 1, d) / 86_400_000;
        if (prev !== undefined) gap = Math.max(gap, t - prev);
        prev = t;
      }
    }
  }
  return prev === undefined ? undefined : gap;
}

/**
 * The longest gap, in days, between two runs of a Secrets Manager schedule expression, or a reason
 * it cannot be determined. rate(N days|hours|minutes); cron(min hour dom month dow year).
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
  let monthGap = 0;
  for (let i = 0; i < months.length; i++) {
    const next = i + 1 < months.length ? months[i + 1] : months[0] + 12;
    monthGap = Math.max(monthGap, next - months[i]);
  }
  const anyDom = dom === "*" || dom === "?";
  const anyDow = dow === "*" || dow === "?";
  // Days some months lack (29-31) and n-th / last weekdays do not recur at a fixed distance: count them on the calendar.
  const doms = anyDow ? cronDaysOfMonth(dom) : undefined;
  const weekday = anyDom ? nthWeekday(dow) : undefined;
  if ((doms && doms[0] > 28) || weekday) {
    const gap = calendarGapDays(months, weekday ?? ((y, m) => doms!.filter((d) => d <= daysInMonth(y, m))));
    return gap === undefined ? { error: "never runs (no month it names has that day)" } : { days: gap };
  }
  if (months.length < 12 || monthGap > 1) return { days: monthGap * 31 };
  if (!anyDom || /[#L]/.test(dow)) return { days: 31 };
  if (!anyDow) return { days: 7 };
  return { days: 1 };
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
