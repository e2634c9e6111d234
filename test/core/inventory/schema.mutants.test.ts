/**
 * Pins the exact observable behaviour of core/inventory/schema.ts that the broader schema tests left
 * loose: the accepted and rejected shapes of every date/instant, standards id, kind/store/rule id,
 * URN and repository-relative path (with the exact issue messages, in order), the enum values, the
 * "expected a non-empty …" message of every required string, the InventoryError text and "(root)"
 * path, and the published JSON Schema's $id, title and descriptions.
 *
 * The schemas are built when the module is imported, so every test loads a fresh copy of the module
 * with jest.isolateModules (see load()): a test that imported it at the top would not be credited by
 * per-test mutation coverage.
 */
import { sampleInventory } from "./sample";

type SchemaModule = typeof import("../../../core/inventory/schema");

/** A fresh copy of core/inventory/schema, built inside the calling test. */
function load(): SchemaModule {
  let m: SchemaModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/inventory/schema") as SchemaModule;
  });
  return m as SchemaModule;
}

type Parser = { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } };

/** The issues of one parse as "path: message" lines, in order; [] when the value is accepted. */
function issues(schema: Parser, value: unknown): string[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error!.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`);
}

const DATE_FMT = ": expected a date as YYYY-MM-DD";
const DATE_REAL = ": expected a real calendar date as YYYY-MM-DD";
const INSTANT_FMT = ": expected an instant as YYYY-MM-DDTHH:MM:SSZ";
const INSTANT_REAL = ": expected a real instant as YYYY-MM-DDTHH:MM:SSZ";
const EITHER_FMT = ": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ";
const EITHER_REAL = ": expected a real date or instant";
const TOO_SMALL_STRING = "Too small: expected string to have >=1 characters";

const IDENTITY = {
  cloud: "aws",
  kind: "aws-iam-role",
  id: "arn:aws:iam::111122223333:role/ai-dev-pr-reviewer",
  issuer: "https://token.actions.githubusercontent.com",
  subject: "repo:acme/payments-api:environment:ai-review",
  audience: "sts.amazonaws.com",
  maxSessionSeconds: 3600,
  boundaryArn: "arn:aws:iam::111122223333:policy/ai-dev-boundary",
};
const ACCESS = {
  system: "aws",
  target: "s3://acme-review-artifacts/reports/",
  resources: ["arn:aws:s3:::acme-review-artifacts/reports/*"],
  actions: ["s3:GetObject"],
  expires: "2027-03-31",
};
const CREDENTIAL = {
  id: "npm-publish-token",
  system: "npm",
  store: "aws-secretsmanager",
  storeRef: "arn:aws:secretsmanager:eu-west-1:444455556666:secret:ai/prod/release-bot/npm-AbCdEf",
  owner: "release@example.com",
  justification: "npm trusted publishing is not enabled for this scope yet",
  rotationDays: 90,
  lastRotated: "2026-09-01",
  nextRotation: "2026-11-30",
  exceptionExpires: "2027-01-31",
  disabled: false,
};
const SINK = { destination: "arn:aws:cloudtrail:eu-west-1:444455556666:trail/ai-prod", query: "eventName = 'GetSecretValue'" };
const ASSISTANT = {
  name: "release-bot",
  owner: { team: "release", contact: "release@example.com" },
  purpose: "Tags releases and pushes images to ECR",
  environment: "prod",
  expires: "2027-06-30",
  revoked: false,
  identities: [],
  access: [],
  staticCredentials: [],
  audit: {},
};
const FINDING = {
  ruleId: "aws-trust-subject-pinned",
  title: "Trust policies pin the exact OIDC subject",
  level: "mandatory",
  severity: "critical",
  message: 'must pin token.actions.githubusercontent.com:sub with StringEquals; got StringLike "repo:acme/*"',
  resource: "urn:pulumi:dev::assistant-identities::aws:iam/role:Role::imported-legacy-role",
  assistant: "release-bot",
  path: "AssumeRolePolicyDocument.Statement[0]",
  key: "Subject::repo:acme/*",
  fix: "Replace StringLike with StringEquals and the exact subject of one repository and environment.",
  standards: ["OWASP-NHI5"],
  location: { file: "stacks/Pulumi.dev.yaml", line: 42, column: 7 },
};
const INVENTORY = { schemaVersion: "1.0.0", project: "assistant-identities", stack: "dev", generatedAt: "2026-11-15T11:58:07Z", assistants: [], findings: [] };

type ObjectName = "Identity" | "Access" | "StaticCredential" | "LogSink" | "AssistantEntry" | "FindingEntry" | "Inventory";
const BASE: Record<ObjectName, Record<string, unknown>> = {
  Identity: IDENTITY,
  Access: ACCESS,
  StaticCredential: CREDENTIAL,
  LogSink: SINK,
  AssistantEntry: ASSISTANT,
  FindingEntry: FINDING,
  Inventory: INVENTORY,
};

/** A deep copy of the named object's valid base with the value at `path` (dot-separated) replaced. */
function withField(name: ObjectName, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(BASE[name])) as Record<string, any>;
  const keys = path.split(".");
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys[keys.length - 1]] = value;
  return copy;
}

describe("valid documents are accepted unchanged", () => {
  test("the sample inventory parses to an equal value (every object shape names its fields)", () => {
    const m = load();
    expect(m.parseInventory(JSON.parse(JSON.stringify(sampleInventory())))).toStrictEqual(sampleInventory());
  });

  test.each<[ObjectName]>([["Identity"], ["Access"], ["StaticCredential"], ["LogSink"], ["AssistantEntry"], ["FindingEntry"], ["Inventory"]])(
    "the valid %s base parses without issues",
    (name) => {
      const m = load();
      expect(issues(m[name], BASE[name])).toEqual([]);
    },
  );

  test("an assistant with an identity, access, a credential and both log sinks parses without issues", () => {
    const m = load();
    const full = { ...ASSISTANT, identities: [IDENTITY], access: [ACCESS], staticCredentials: [CREDENTIAL], audit: { toolCalls: SINK, secretAccess: SINK } };
    expect(m.AssistantEntry.parse(full)).toStrictEqual(full);
  });
});

describe("IsoDate (YYYY-MM-DD, a real day)", () => {
  test.each(["2026-01-01", "2024-02-29", "0001-12-31", "2027-03-31"])("accepts %s", (v) => {
    const m = load();
    expect(issues(m.IsoDate, v)).toEqual([]);
  });

  test.each<[string, string[]]>([
    ["2026-1-01", [DATE_FMT, DATE_REAL]],
    ["x2026-01-01", [DATE_FMT, DATE_REAL]],
    ["2026-01-01 12:00", [DATE_FMT]],
    ["2026-01-01T00:00:00Z", [DATE_FMT]],
    ["2026-02-30", [DATE_REAL]],
    ["2025-02-29", [DATE_REAL]],
  ])("rejects %p with %p", (v, expected) => {
    const m = load();
    expect(issues(m.IsoDate, v)).toEqual(expected);
  });
});

describe("IsoInstant (YYYY-MM-DDTHH:MM[:SS[.f{1,9}]](Z|±HH:MM), a real instant)", () => {
  test.each([
    "2026-11-15T11:58:07Z",
    "2026-11-15T11:58Z",
    "2026-11-15T11:58:07.1Z",
    "2026-11-15T11:58:07.123456789Z",
    "2026-11-15T11:58:07.1+02:00",
    "2026-11-15T11:58-05:30",
  ])("accepts %s", (v) => {
    const m = load();
    expect(issues(m.IsoInstant, v)).toEqual([]);
  });

  test.each<[string, string[]]>([
    ["yesterday", [INSTANT_FMT, INSTANT_REAL]],
    ["x2026-11-15T11:58Z", [INSTANT_FMT, INSTANT_REAL]],
    ["2026-11-15T11:58Zjunk", [INSTANT_FMT, INSTANT_REAL]],
    ["2026-11-15", [INSTANT_FMT]],
    ["2026-11-15 11:58", [INSTANT_FMT]],
    ["2026-11-15T11:58:07.1234567890Z", [INSTANT_FMT]],
    ["2026-02-30T00:00Z", [INSTANT_REAL]],
  ])("rejects %p with %p", (v, expected) => {
    const m = load();
    expect(issues(m.IsoInstant, v)).toEqual(expected);
  });
});

describe("IsoDateOrInstant (a day or an instant)", () => {
  test.each([
    "2026-11-15",
    "2026-11-15T11:58Z",
    "2026-11-15T11:58:07Z",
    "2026-11-15T11:58:07.1Z",
    "2026-11-15T11:58:07.123456789+02:00",
    "2026-11-15T11:58-05:30",
  ])("accepts %s", (v) => {
    const m = load();
    expect(issues(m.IsoDateOrInstant, v)).toEqual([]);
  });

  test.each<[string, string[]]>([
    ["soon", [EITHER_FMT, EITHER_REAL]],
    ["x2026-11-15", [EITHER_FMT, EITHER_REAL]],
    ["2026-1-15", [EITHER_FMT, EITHER_REAL]],
    ["2026-11-15T11:58Zjunk", [EITHER_FMT, EITHER_REAL]],
    ["2026-11-15 11:58", [EITHER_FMT]],
    ["2026-11-15T11:58:07.1234567890Z", [EITHER_FMT]],
    ["2026-02-30", [EITHER_REAL]],
    ["2026-02-30T00:00Z", [EITHER_REAL]],
  ])("rejects %p with %p", (v, expected) => {
    const m = load();
    expect(issues(m.IsoDateOrInstant, v)).toEqual(expected);
  });
});

describe("StandardId", () => {
  const MSG = ": expected a standards id such as OWASP-NHI5, OWASP-ASI03, MAESTRO-L4 or NIST-CSF-PR.AA-05";

  test.each(["OWASP-NHI5", "OWASP-NHI10", "OWASP-ASI03", "MAESTRO-L1", "MAESTRO-L4", "MAESTRO-L7", "NIST-CSF-PR.AA-05", "NIST-CSF-DE.CM-03"])("accepts %s", (v) => {
    const m = load();
    expect(issues(m.StandardId, v)).toEqual([]);
  });

  test.each(["XOWASP-NHI5", "OWASP-NHI5X", "OWASP-NHI123", "OWASP-XYZ1", "MAESTRO-L0", "MAESTRO-L8", "NIST-CSF-P.AA-05", "NIST-CSF-PR.A-05", "NIST-CSF-PR.AA-5", "NIST-CSF-PR.AA-055", "ISO-27001"])(
    "rejects %p with the standards-id message",
    (v) => {
      const m = load();
      expect(issues(m.StandardId, v)).toEqual([MSG]);
    },
  );
});

describe("enums", () => {
  test.each<[keyof SchemaModule & ("Cloud" | "Environment" | "Level" | "Severity"), string[], string]>([
    ["Cloud", ["aws", "gcp", "github"], 'Invalid option: expected one of "aws"|"gcp"|"github"'],
    ["Environment", ["dev", "stage", "prod"], 'Invalid option: expected one of "dev"|"stage"|"prod"'],
    ["Level", ["mandatory", "advisory"], 'Invalid option: expected one of "mandatory"|"advisory"'],
    ["Severity", ["low", "medium", "high", "critical"], 'Invalid option: expected one of "low"|"medium"|"high"|"critical"'],
  ])("%s accepts exactly %p", (name, values, message) => {
    const m = load();
    const schema = m[name] as Parser & { options: string[] };
    expect(schema.options).toEqual(values);
    for (const v of values) expect(issues(schema, v)).toEqual([]);
    expect(issues(schema, "")).toEqual([`: ${message}`]);
    expect(issues(schema, "other")).toEqual([`: ${message}`]);
  });
});

describe("lower-case ids: identity kind, credential store, finding rule id", () => {
  const KIND = "kind: expected a kind such as aws-iam-role or gcp-service-account";
  const STORE = "store: expected a store such as aws-secretsmanager or gcp-secretmanager";
  const RULE = "ruleId: expected a rule id such as aws-no-wildcard-actions";

  test.each<[ObjectName, string, string]>([
    ["Identity", "kind", "aws-iam-role"],
    ["Identity", "kind", "gcp-wif-principal"],
    ["Identity", "kind", "a"],
    ["Identity", "kind", "github-app-installation-2"],
    ["StaticCredential", "store", "aws-secretsmanager"],
    ["StaticCredential", "store", "gcp-secretmanager"],
    ["StaticCredential", "store", "v"],
    ["StaticCredential", "store", "vault-kv-2"],
    ["FindingEntry", "ruleId", "aws-no-wildcard-actions"],
    ["FindingEntry", "ruleId", "x"],
    ["FindingEntry", "ruleId", "7"],
    ["FindingEntry", "ruleId", "0-day-rule"],
  ])("%s.%s accepts %p", (name, field, v) => {
    const m = load();
    expect(issues(m[name], withField(name, field, v))).toEqual([]);
  });

  test.each<[ObjectName, string, string, string]>([
    ["Identity", "kind", "-aws-iam-role", KIND],
    ["Identity", "kind", "1aws", KIND],
    ["Identity", "kind", "Aws-iam-role", KIND],
    ["Identity", "kind", "aws_iam_role", KIND],
    ["Identity", "kind", "aws-iam-role!", KIND],
    ["Identity", "kind", "", KIND],
    ["StaticCredential", "store", "-aws-secretsmanager", STORE],
    ["StaticCredential", "store", "9vault", STORE],
    ["StaticCredential", "store", "AWS-secretsmanager", STORE],
    ["StaticCredential", "store", "aws_secretsmanager", STORE],
    ["StaticCredential", "store", "aws-secretsmanager ", STORE],
    ["StaticCredential", "store", "", STORE],
    ["FindingEntry", "ruleId", "-aws-rule", RULE],
    ["FindingEntry", "ruleId", "Aws-rule", RULE],
    ["FindingEntry", "ruleId", "aws_rule", RULE],
    ["FindingEntry", "ruleId", "aws-rule.", RULE],
    ["FindingEntry", "ruleId", "", RULE],
  ])("%s.%s rejects %p", (name, field, v, expected) => {
    const m = load();
    expect(issues(m[name], withField(name, field, v))).toEqual([expected]);
  });
});

describe('required strings say "expected a non-empty …"', () => {
  test.each<[ObjectName, string, string]>([
    ["Identity", "id", "identity id (role ARN, service-account email or principal)"],
    ["Identity", "issuer", "issuer"],
    ["Identity", "subject", "subject"],
    ["Identity", "audience", "audience"],
    ["Access", "target", "target"],
    ["Access", "resources.0", "resource"],
    ["Access", "actions.0", "action"],
    ["StaticCredential", "id", "credential id"],
    ["StaticCredential", "system", "system"],
    ["StaticCredential", "storeRef", "store reference (ARN or name)"],
    ["StaticCredential", "owner", "owner"],
    ["StaticCredential", "justification", "justification"],
    ["LogSink", "destination", "log destination"],
    ["LogSink", "query", "query"],
    ["AssistantEntry", "name", "assistant name"],
    ["AssistantEntry", "owner.team", "team"],
    ["AssistantEntry", "owner.contact", "contact"],
    ["AssistantEntry", "purpose", "purpose"],
    ["FindingEntry", "title", "title"],
    ["FindingEntry", "message", "message"],
    ["FindingEntry", "fix", "fix"],
    ["Inventory", "project", "project"],
    ["Inventory", "stack", "stack"],
  ])("%s.%s: an empty string is rejected as a non-empty %s", (name, path, what) => {
    const m = load();
    expect(issues(m[name], withField(name, path, ""))).toEqual([`${path}: expected a non-empty ${what}`]);
  });

  test.each<[ObjectName, string]>([
    ["Identity", "boundaryArn"],
    ["FindingEntry", "assistant"],
    ["FindingEntry", "path"],
    ["FindingEntry", "key"],
  ])("optional %s.%s: a long value is accepted, an empty one rejected as too small", (name, path) => {
    const m = load();
    expect(issues(m[name], withField(name, path, "a-value-longer-than-one-character"))).toEqual([]);
    expect(issues(m[name], withField(name, path, "x"))).toEqual([]);
    expect(issues(m[name], withField(name, path, ""))).toEqual([`${path}: ${TOO_SMALL_STRING}`]);
  });
});

describe("FindingEntry.resource is a Pulumi URN", () => {
  const MSG = "resource: expected a Pulumi URN (urn:pulumi:…)";

  test.each(["urn:pulumi:dev::assistant-identities::aws:iam/role:Role::r", "urn:pulumi:"])("accepts %p", (v) => {
    const m = load();
    expect(issues(m.FindingEntry, withField("FindingEntry", "resource", v))).toEqual([]);
  });

  test.each(["not-a-urn", "x-urn:pulumi:dev::p::t::n", " urn:pulumi:dev::p::t::n", "URN:pulumi:dev::p::t::n", ""])("rejects %p", (v) => {
    const m = load();
    expect(issues(m.FindingEntry, withField("FindingEntry", "resource", v))).toEqual([MSG]);
  });
});

describe("SourceLocation: a repository-relative file, 1-based line and column", () => {
  const FILE = "file: expected a repository-relative path such as stacks/Pulumi.dev.yaml";

  test.each(["stacks/Pulumi.dev.yaml", "a", "./x.yaml", "a..b/c", "..x", "x/..y", "dir/file:with-colon.yaml", "1:2.yaml"])("file %p is accepted", (file) => {
    const m = load();
    expect(issues(m.SourceLocation, { file, line: 42, column: 7 })).toEqual([]);
  });

  test.each([
    "/etc/passwd",
    "../secrets.yaml",
    "stacks/../../x.yaml",
    "stacks/..",
    "..",
    "file:///tmp/x.yaml",
    "https://example.com/x",
    "C:x.yaml",
    "c+d.e-f:x",
    "stacks\\x.yaml",
    "C:\\x.yaml",
    "a\u0000b",
  ])("file %p is rejected as not repository-relative", (file) => {
    const m = load();
    expect(issues(m.SourceLocation, { file, line: 42 })).toEqual([FILE]);
  });

  test("an empty file is both too small and not a relative path", () => {
    const m = load();
    expect(issues(m.SourceLocation, { file: "", line: 1 })).toEqual([`file: ${TOO_SMALL_STRING}`, FILE]);
  });

  test("line and column accept any integer from 1 and reject 0", () => {
    const m = load();
    expect(issues(m.SourceLocation, { file: "a", line: 1, column: 1 })).toEqual([]);
    expect(issues(m.SourceLocation, { file: "a", line: 4096, column: 120 })).toEqual([]);
    expect(issues(m.SourceLocation, { file: "a", line: 0, column: 0 })).toEqual([
      "line: Too small: expected number to be >=1",
      "column: Too small: expected number to be >=1",
    ]);
  });
});

describe("parseInventory / InventoryError", () => {
  test("a non-object is reported at (root)", () => {
    const m = load();
    let err: unknown;
    try {
      m.parseInventory("inventory.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(m.InventoryError);
    expect((err as Error).name).toBe("InventoryError");
    expect((err as InstanceType<SchemaModule["InventoryError"]>).issues).toEqual(["(root): Invalid input: expected object, received string"]);
    expect((err as Error).message).toBe("invalid inventory:\n  (root): Invalid input: expected object, received string");
  });

  test("several problems are listed one per indented line with dotted paths", () => {
    const m = load();
    const inv = sampleInventory() as unknown as Record<string, any>;
    inv.stack = "";
    inv.findings[0].location.file = "../x.yaml";
    let err: unknown;
    try {
      m.parseInventory(inv);
    } catch (e) {
      err = e;
    }
    expect((err as InstanceType<SchemaModule["InventoryError"]>).issues).toEqual([
      "stack: expected a non-empty stack",
      "findings.0.location.file: expected a repository-relative path such as stacks/Pulumi.dev.yaml",
    ]);
    expect((err as Error).message).toBe(
      "invalid inventory:\n  stack: expected a non-empty stack\n  findings.0.location.file: expected a repository-relative path such as stacks/Pulumi.dev.yaml",
    );
  });

  test("the InventoryError constructor itself names the error and joins its issues", () => {
    const m = load();
    const e = new m.InventoryError(["a: one", "b: two"]);
    expect(e.name).toBe("InventoryError");
    expect(e.message).toBe("invalid inventory:\n  a: one\n  b: two");
    expect(e.issues).toEqual(["a: one", "b: two"]);
  });
});

describe("inventoryJsonSchema(): published identity and descriptions", () => {
  type Json = Record<string, any>;

  test("$id, title and description of the top-level object", () => {
    const m = load();
    const schema = m.inventoryJsonSchema() as Json;
    expect(m.INVENTORY_SCHEMA_ID).toBe("https://assistant-identities.dev/schema/inventory-1.0.0.json");
    expect(schema.$id).toBe("https://assistant-identities.dev/schema/inventory-1.0.0.json");
    expect(schema.title).toBe("assistant-identities inventory");
    expect(schema.description).toBe(
      "The auditor's view of one stack: every AI assistant's owner, purpose, lifetime, identities, access, static credentials (by reference), log sinks, and the policy findings. Contains no secret values.",
    );
  });

  test("each object type carries its description", () => {
    const m = load();
    const schema = m.inventoryJsonSchema() as Json;
    const assistant = schema.properties.assistants.items;
    expect(assistant.description).toBe("One assistant: owner, purpose, lifetime, identities, access, static credentials and log sinks.");
    expect(assistant.properties.identities.items.description).toBe("A workload identity the assistant can assume.");
    expect(assistant.properties.access.items.description).toBe("What an assistant can reach on one target system, and until when.");
    expect(assistant.properties.staticCredentials.items.description).toBe(
      "A static credential kept under a policy exception: its store reference and schedule, never its value.",
    );
    expect(schema.properties.findings.items.description).toBe("A policy finding with its standards ids.");
  });
});
