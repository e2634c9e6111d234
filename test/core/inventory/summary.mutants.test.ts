/**
 * Pins the exact observable behaviour of core/inventory/summary.ts that summary.test.ts left loose
 * (and that it computes once at describe level, where per-test mutation coverage does not see it):
 * date vs instant parsing, calendar-day counting, the expiry window and its inclusive boundaries,
 * revoked/expired/expiring assistants, audit-log gaps, the per-cloud, access, level and severity
 * counters (including zero buckets), full due-entry objects, and the ascending-by-days ordering of
 * every due list. Every summarize() call happens inside a test body.
 */
import { instantOf, summarize } from "../../../core/inventory/summary";
import type { Inventory } from "../../../core/inventory/schema";

type Assistant = Inventory["assistants"][number];
type Credential = Assistant["staticCredentials"][number];
type IdentityEntry = Assistant["identities"][number];
type AccessEntry = Assistant["access"][number];
type Finding = Inventory["findings"][number];

const SINK = { destination: "arn:aws:logs:eu-west-1:111122223333:log-group:/ai/x", query: "fields @timestamp" };

const assistant = (name: string, over: Partial<Assistant> = {}): Assistant => ({
  name,
  owner: { team: "platform-eng", contact: "platform-eng@example.com" },
  purpose: `Does ${name} things`,
  environment: "dev",
  expires: "2028-01-01",
  revoked: false,
  identities: [],
  access: [],
  staticCredentials: [],
  audit: { toolCalls: SINK, secretAccess: SINK },
  ...over,
});

const credential = (id: string, nextRotation: string, exceptionExpires: string, over: Partial<Credential> = {}): Credential => ({
  id,
  system: "confluence",
  store: "aws-secretsmanager",
  storeRef: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${id}`,
  owner: "devex@example.com",
  justification: "no workload identity federation",
  rotationDays: 30,
  nextRotation,
  exceptionExpires,
  disabled: false,
  ...over,
});

const identity = (cloud: IdentityEntry["cloud"], id: string): IdentityEntry => ({
  cloud,
  kind: cloud === "aws" ? "aws-iam-role" : cloud === "gcp" ? "gcp-service-account" : "github-app-installation",
  id,
  issuer: "https://token.actions.githubusercontent.com",
  subject: "repo:acme/app:environment:ai",
  audience: "sts.amazonaws.com",
  maxSessionSeconds: 900,
});

const access = (target: string, actions: string[]): AccessEntry => ({
  system: "aws",
  target,
  resources: [`arn:aws:s3:::${target}`],
  actions,
  expires: "2028-01-01",
});

const finding = (ruleId: string, level: Finding["level"], severity: Finding["severity"]): Finding => ({
  ruleId,
  title: "A rule",
  level,
  severity,
  message: "must do x; got y",
  resource: "urn:pulumi:dev::assistant-identities::ai:assistant:Assistant::x",
  fix: "Do x.",
  standards: [],
});

const inventory = (assistants: Assistant[], findings: Finding[] = []): Inventory => ({
  schemaVersion: "1.0.0",
  project: "assistant-identities",
  stack: "dev",
  generatedAt: "2026-11-15T11:58:07Z",
  assistants,
  findings,
});

const NOON = new Date("2026-11-15T12:00:00Z");
const MIDNIGHT = new Date("2026-11-01T00:00:00Z");

describe("instantOf", () => {
  test("reads a YYYY-MM-DD day as 00:00Z of that day", () => {
    expect(instantOf("2026-10-31")).toBe(Date.UTC(2026, 9, 31));
  });

  test("reads an instant as itself, honouring its offset (no 00:00Z suffix appended)", () => {
    expect(instantOf("2026-10-31T06:30:00+02:00")).toBe(Date.UTC(2026, 9, 31, 4, 30));
    expect(instantOf("2026-10-31T23:59:59Z")).toBe(Date.UTC(2026, 9, 31, 23, 59, 59));
  });
});

describe("summarize: assistants", () => {
  test("counts revoked and expired assistants and lists only live, non-revoked ones expiring within the window, soonest first, in calendar days", () => {
    const s = summarize(
      inventory([
        assistant("revoked-later", { revoked: true, expires: "2027-06-30" }),
        assistant("revoked-soon", { revoked: true, expires: "2026-11-20" }),
        assistant("expired", { expires: "2026-11-01" }),
        assistant("later", { expires: "2027-06-30" }),
        assistant("soon-late", { expires: "2026-12-10" }),
        assistant("soon-early", { expires: "2026-11-20" }),
      ]),
      NOON,
    );
    expect(s.assistants).toBe(6);
    expect(s.revokedAssistants).toBe(2);
    expect(s.expiredAssistants).toBe(1);
    // From 12:00Z on 2026-11-15: 2026-11-20 is 5 calendar days away (4.5 days of clock time).
    expect(s.expiringAssistants).toEqual([
      { assistant: "soon-early", expires: "2026-11-20", days: 5 },
      { assistant: "soon-late", expires: "2026-12-10", days: 25 },
    ]);
  });

  test("an assistant expiring exactly now is expired, one expiring exactly at the window's end is expiring (both bounds inclusive)", () => {
    const s = summarize(
      inventory([assistant("at-now", { expires: "2026-11-01" }), assistant("at-window-end", { expires: "2026-12-01" }), assistant("past-window", { expires: "2026-12-02" })]),
      MIDNIGHT,
    );
    expect(s.expiredAssistants).toBe(1);
    expect(s.expiringAssistants).toEqual([{ assistant: "at-window-end", expires: "2026-12-01", days: 30 }]);
    expect(s.windowDays).toBe(30);
  });

  test("a custom window moves the expiring bound and is reported", () => {
    const s = summarize(inventory([assistant("in-7", { expires: "2026-11-08" }), assistant("in-8", { expires: "2026-11-09" })]), MIDNIGHT, 7);
    expect(s.expiringAssistants).toEqual([{ assistant: "in-7", expires: "2026-11-08", days: 7 }]);
    expect(s.windowDays).toBe(7);
  });

  test("no assistants gives zero counts and empty lists", () => {
    const s = summarize(inventory([]), NOON);
    expect(s).toEqual({
      project: "assistant-identities",
      stack: "dev",
      generatedAt: "2026-11-15T11:58:07Z",
      now: "2026-11-15T12:00:00.000Z",
      assistants: 0,
      revokedAssistants: 0,
      expiredAssistants: 0,
      expiringAssistants: [],
      identities: 0,
      identitiesByCloud: { aws: 0, gcp: 0, github: 0 },
      accessTargets: 0,
      grantedActions: 0,
      staticCredentials: 0,
      activeStaticCredentials: 0,
      overdueRotations: [],
      expiredExceptions: [],
      expiringExceptions: [],
      assistantsWithoutAuditLogs: [],
      findings: 0,
      findingsByLevel: { mandatory: 0, advisory: 0 },
      findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
      windowDays: 30,
    });
  });

  test("lists, in inventory order, each assistant missing a tool-call sink or a secret-access sink", () => {
    const s = summarize(
      inventory([
        assistant("both"),
        assistant("tool-only", { audit: { toolCalls: SINK } }),
        assistant("secret-only", { audit: { secretAccess: SINK } }),
        assistant("none", { audit: {} }),
      ]),
      NOON,
    );
    expect(s.assistantsWithoutAuditLogs).toEqual(["tool-only", "secret-only", "none"]);
  });
});

describe("summarize: identities and access", () => {
  test("counts identities per cloud (keeping empty clouds at 0), access targets and granted actions", () => {
    const s = summarize(
      inventory([
        assistant("a", { identities: [identity("aws", "arn:aws:iam::111122223333:role/a")], access: [access("bucket-a", ["s3:GetObject", "s3:ListBucket"]), access("bucket-b", [])] }),
        assistant("b", {
          identities: [identity("gcp", "b@p.iam.gserviceaccount.com"), identity("gcp", "principal://iam.googleapis.com/b")],
          access: [access("bucket-c", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])],
        }),
      ]),
      NOON,
    );
    expect(s.identities).toBe(3);
    expect(s.identitiesByCloud).toEqual({ aws: 1, gcp: 2, github: 0 });
    expect(s.accessTargets).toBe(3);
    expect(s.grantedActions).toBe(5);
  });
});

describe("summarize: static credentials", () => {
  test("lists overdue rotations, expired and expiring exceptions as full entries, each sorted by days ascending", () => {
    const s = summarize(
      inventory([
        assistant("a", {
          staticCredentials: [
            credential("late-5", "2026-11-10", "2026-12-10"),
            credential("late-45", "2026-10-01", "2026-11-16"),
            credential("ended-1", "2027-01-01", "2026-11-14"),
            credential("ended-46", "2027-01-01", "2026-09-30"),
            credential("fine", "2027-01-01", "2027-06-30"),
            credential("off", "2026-01-01", "2026-01-01", { disabled: true }),
          ],
        }),
      ]),
      NOON,
    );
    const ref = (id: string) => ({ assistant: "a", credential: id, store: "aws-secretsmanager", storeRef: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${id}` });
    expect(s.staticCredentials).toBe(6);
    expect(s.activeStaticCredentials).toBe(5);
    expect(s.overdueRotations).toEqual([
      { ...ref("late-45"), due: "2026-10-01", days: -45 },
      { ...ref("late-5"), due: "2026-11-10", days: -5 },
    ]);
    expect(s.expiredExceptions).toEqual([
      { ...ref("ended-46"), due: "2026-09-30", days: -46 },
      { ...ref("ended-1"), due: "2026-11-14", days: -1 },
    ]);
    expect(s.expiringExceptions).toEqual([
      { ...ref("late-45"), due: "2026-11-16", days: 1 },
      { ...ref("late-5"), due: "2026-12-10", days: 25 },
    ]);
  });

  test("a rotation due exactly now is not overdue; an exception ending exactly now has ended; one ending exactly at the window's end is expiring", () => {
    const s = summarize(
      inventory([
        assistant("a", {
          staticCredentials: [credential("ends-now", "2026-11-01", "2026-11-01"), credential("ends-at-window", "2027-01-01", "2026-12-01"), credential("ends-after", "2027-01-01", "2026-12-02")],
        }),
      ]),
      MIDNIGHT,
    );
    const ref = (id: string) => ({ assistant: "a", credential: id, store: "aws-secretsmanager", storeRef: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${id}` });
    expect(s.overdueRotations).toEqual([]);
    expect(s.expiredExceptions).toEqual([{ ...ref("ends-now"), due: "2026-11-01", days: 0 }]);
    expect(s.expiringExceptions).toEqual([{ ...ref("ends-at-window"), due: "2026-12-01", days: 30 }]);
  });

  test("instants (not just days) are compared to the clock: one second past is overdue, one second ahead is expiring, same calendar day is 0 days", () => {
    const s = summarize(inventory([assistant("a", { staticCredentials: [credential("tight", "2026-11-15T11:59:59Z", "2026-11-15T12:00:01Z")] })]), NOON);
    const ref = { assistant: "a", credential: "tight", store: "aws-secretsmanager", storeRef: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tight" };
    expect(s.overdueRotations).toEqual([{ ...ref, due: "2026-11-15T11:59:59Z", days: 0 }]);
    expect(s.expiredExceptions).toEqual([]);
    expect(s.expiringExceptions).toEqual([{ ...ref, due: "2026-11-15T12:00:01Z", days: 0 }]);
  });
});

describe("summarize: findings", () => {
  test("counts findings per level and severity, keeping empty buckets at 0", () => {
    const s = summarize(
      inventory([], [finding("r-one", "mandatory", "critical"), finding("r-two", "mandatory", "high"), finding("r-three", "mandatory", "critical")]),
      NOON,
    );
    expect(s.findings).toBe(3);
    expect(s.findingsByLevel).toEqual({ mandatory: 3, advisory: 0 });
    expect(s.findingsBySeverity).toEqual({ critical: 2, high: 1, medium: 0, low: 0 });
  });
});
