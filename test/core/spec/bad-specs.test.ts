import { validateSpec } from "../../../core/spec/validate";
import { runProgram } from "../../../cli/engine/run-program";
import { clone, validAssistant, validSpec } from "../../support/spec";

const NOW = new Date("2026-12-01T00:00:00Z");

type Mutation = (spec: any) => void;
const a0 = (f: (a: any) => void): Mutation => (s) => f(s.assistants[0]);

/** [distinct mistake, mutation, expected path, expected message fragment] */
const CASES: Array<[string, Mutation, string, RegExp]> = [
  ["owner missing", a0((a) => delete a.owner), "assistants[0].owner", /is required/],
  ["contact not an email", a0((a) => (a.owner.contact = "devex")), "assistants[0].owner.contact", /email/],
  ["purpose too short", a0((a) => (a.purpose = "bot")), "assistants[0].purpose", /at least 10 characters/],
  ["environment not in the list", a0((a) => (a.environment = "production")), "assistants[0].environment", /dev, stage or prod/],
  ["expiry not a date", a0((a) => (a.expires = "31/12/2027")), "assistants[0].expires", /YYYY-MM-DD/],
  ["expiry not a calendar date", a0((a) => (a.expires = "2027-02-30")), "assistants[0].expires", /real calendar date/],
  ["expiry in the past", a0((a) => (a.expires = "2026-11-01")), "assistants[0].expires", /expired on 2026-11-01.*devex/],
  ["expiry too far ahead", a0((a) => (a.expires = "2029-01-01")), "assistants[0].expires", /within 366 days/],
  ["session too long", a0((a) => (a.maxSessionSeconds = 7200)), "assistants[0].maxSessionSeconds", /at most 3600/],
  ["session too short", a0((a) => (a.maxSessionSeconds = 300)), "assistants[0].maxSessionSeconds", /at least 900/],
  ["unknown source kind", a0((a) => (a.source = { kind: "jenkins" })), "assistants[0].source.kind", /github-actions, gitlab-ci, kubernetes, spiffe, oidc/],
  ["repository with a wildcard", a0((a) => (a.source.repository = "acme/*")), "assistants[0].source.repository", /no wildcard/],
  ["repository id missing", a0((a) => delete a.source.repositoryId), "assistants[0].source.repositoryId", /is required/],
  ["owner id not numeric", a0((a) => (a.source.ownerId = "acme")), "assistants[0].source.ownerId", /numeric repository owner id/],
  ["no pin", a0((a) => delete a.source.environment), "assistants[0].source", /exactly one of environment, branch or tag.*got 0/],
  ["two pins", a0((a) => (a.source.branch = "main")), "assistants[0].source", /exactly one of environment, branch or tag.*got 2/],
  ["branch wildcard not allowed", a0((a) => { delete a.source.environment; a.source.branch = "release/*"; }), "assistants[0].source", /wildcard \(release\/\*\).*allowSubjectWildcard/],
  [
    "wildcard subject with a write grant",
    a0((a) => {
      delete a.source.environment;
      a.source.branch = "release/*";
      a.source.allowSubjectWildcard = true;
      a.aws.grants.push({ kind: "s3-write", bucket: "acme-artifacts", prefix: "out/" });
    }),
    "assistants[0].aws.grants[1].kind",
    /read-only grants only; got s3-write/,
  ],
  ["template starts with an author-controlled claim", a0((a) => (a.source.subjectClaims = ["environment", "repository_id"])), "assistants[0].source.subjectClaims[0]", /must not start with "environment"/],
  ["template without repository id", a0((a) => (a.source.subjectClaims = ["repository_owner_id", "environment"])), "assistants[0].source.subjectClaims", /include repository_id/],
  ["issuer not https", a0((a) => (a.source.issuer = "http://token.actions.githubusercontent.com")), "assistants[0].source.issuer", /https:\/\/ issuer URL/],
  ["issuer with trailing slash", a0((a) => (a.source.issuer = "https://token.actions.githubusercontent.com/")), "assistants[0].source.issuer", /without a trailing slash/],
  ["kubernetes default service account", a0((a) => (a.source = { kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/AB12", namespace: "agents", serviceAccount: "default" })), "assistants[0].source.serviceAccount", /not the namespace's 'default' one \(every pod that names no service account runs as it\): create a service account for the assistant/],
  ["kubernetes namespace wildcard", a0((a) => (a.source = { kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/AB12", namespace: "*", serviceAccount: "bot" })), "assistants[0].source.namespace", /namespace name \(no wildcard\)/],
  ["spiffe id with the wrong scheme", a0((a) => (a.source = { kind: "spiffe", issuer: "https://spire.acme.example", spiffeId: "https://acme/x", audience: "sts.amazonaws.com" })), "assistants[0].source.spiffeId", /spiffe:\/\/TRUST-DOMAIN\/PATH/],
  ["generic OIDC without audience", a0((a) => (a.source = { kind: "oidc", issuer: "https://idp.acme.example", subject: "agent-7" })), "assistants[0].source.audience", /is required/],
  ["generic OIDC subject that pins nothing", a0((a) => (a.source = { kind: "oidc", issuer: "https://idp.acme.example", subject: "*", audience: "x", allowSubjectWildcard: true })), "assistants[0].source", /pins nothing/],
  ["unknown grant kind", a0((a) => (a.aws.grants[0] = { kind: "s3-admin", bucket: "b" })), "assistants[0].aws.grants[0].kind", /s3-read, s3-write/],
  ["bucket with a wildcard", a0((a) => (a.aws.grants[0].bucket = "acme-*")), "assistants[0].aws.grants[0].bucket", /S3 bucket name/],
  ["prefix with a wildcard", a0((a) => (a.aws.grants[0].prefix = "app/*")), "assistants[0].aws.grants[0].prefix", /without '\*'/],
  ["SSM path with an empty segment (would name the root: every parameter)", a0((a) => (a.aws.grants[0] = { kind: "ssm-parameter-read", parameter: "//" })), "assistants[0].aws.grants[0].parameter", /without empty segments/],
  ["KMS alias instead of key id", a0((a) => (a.aws.grants[0] = { kind: "kms-decrypt", keyId: "alias/app" })), "assistants[0].aws.grants[0].keyId", /not an alias/],
  ["RDS instance name instead of resource id", a0((a) => (a.aws.grants[0] = { kind: "rds-connect", dbResourceId: "reporting", dbUser: "ro" })), "assistants[0].aws.grants[0].dbResourceId", /DbiResourceId/],
  ["raw statement with * action", a0((a) => a.aws.statements = [{ actions: ["*"], resources: ["arn:aws:s3:::b/*"], reason: "legacy tool needs it" }]), "assistants[0].aws.statements[0].actions[0]", /must not allow every action; got "\*"/],
  ["raw statement that escalates", a0((a) => a.aws.statements = [{ actions: ["iam:PassRole"], resources: ["*"], reason: "deploys lambdas for us" }]), "assistants[0].aws.statements[0].actions[0]", /escalation.*iam:PassRole/],
  ["raw statement without a reason", a0((a) => a.aws.statements = [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/x"] }]), "assistants[0].aws.statements[0].reason", /is required/],
  ["misspelt field", a0((a) => { a.aws.grant = a.aws.grants; delete a.aws.grants; }), "assistants[0].aws", /unknown field "grant"/],
  ["aws section that grants nothing", a0((a) => (a.aws.grants = [])), "assistants[0].aws.grants", /at least one grant/],
  ["duplicate name in one environment", (s) => s.assistants.push({ ...clone(s.assistants[0]), source: { ...s.assistants[0].source, environment: "other" } }), "assistants[1].name", /declared twice for dev/],
  ["one identity shared by two assistants", (s) => s.assistants.push({ ...clone(s.assistants[0]), name: "second-bot" }), "assistants[1].source", /NHI9/],
  ["aws access without platform.aws", (s) => delete s.platform.aws, "platform.aws", /accountId, region/],
  ["account id of 11 digits", (s) => (s.platform.aws.accountId = "11112222333"), "platform.aws.accountId", /12-digit/],
  ["existing provider ARN for another issuer", (s) => (s.platform.aws.existingOidcProviders = { "https://token.actions.githubusercontent.com": "arn:aws:iam::111122223333:oidc-provider/gitlab.com" }), 'platform.aws.existingOidcProviders["https://token.actions.githubusercontent.com"]', /provider for token.actions.githubusercontent.com/],
  ["no assistants", (s) => (s.assistants = []), "assistants", /at least one assistant/],
  [
    "grants that cannot fit AWS quotas",
    a0((a) => (a.aws.grants = Array.from({ length: 900 }, (_, i) => ({ kind: i % 2 ? "s3-read" : "dynamodb-write", bucket: `acme-bucket-${i}`, table: `table-number-${i}`, prefix: `p${i}/` })).map((g: any) => (g.kind === "s3-read" ? { kind: g.kind, bucket: g.bucket, prefix: g.prefix } : { kind: g.kind, table: g.table })))),
    "assistants[0].aws.grants",
    /managed policies.*at most 10/,
  ],
];

describe("bad specs: each mistake gets its own message at its own path, and nothing is registered", () => {
  test("there are at least 25 distinct mistakes and distinct messages", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
  });

  test("the base spec is valid", () => {
    expect(validateSpec(validSpec(), { now: NOW }).errors).toEqual([]);
  });

  test.each(["/", "//", "/app//", "//app", "app//x"])("SSM parameter %p (an empty segment names a wider path) is rejected; names and paths are not", (parameter) => {
    const bad = validSpec();
    bad.assistants[0].aws.grants[0] = { kind: "ssm-parameter-read", parameter };
    expect(validateSpec(bad, { now: NOW }).errors.map((e) => e.path)).toEqual(["assistants[0].aws.grants[0].parameter"]);
    for (const good of ["/app/db-url", "app/db-url", "/app/config/", "token"]) {
      const spec = validSpec();
      spec.assistants[0].aws.grants[0] = { kind: "ssm-parameter-read", parameter: good };
      expect(validateSpec(spec, { now: NOW }).errors).toEqual([]);
    }
  });

  const seenMessages = new Set<string>();
  test.each(CASES)("%s", (_name, mutate, path, message) => {
    const spec = validSpec();
    mutate(spec);
    const { spec: ok, errors } = validateSpec(spec, { now: NOW });
    expect(ok).toBeUndefined();
    const hit = errors.find((e) => e.path === path && message.test(e.message));
    if (!hit) throw new Error(`expected an error at ${path} matching ${message}; got ${JSON.stringify(errors, null, 2)}`);
    expect(seenMessages.has(hit.message)).toBe(false);
    seenMessages.add(hit.message);
  });

  test("the program registers zero resources for a bad spec and says every problem", async () => {
    const spec = validSpec();
    spec.assistants[0].expires = "2026-11-01";
    spec.assistants[0].aws.grants[0].bucket = "acme-*";
    let registered = 0;
    await expect(
      runProgram({
        project: "assistant-identities",
        stack: "bad",
        config: { "assistant-identities:platform": JSON.stringify(spec.platform), "assistant-identities:assistants": JSON.stringify(spec.assistants) },
        mock: { accountId: "111122223333", region: "eu-west-1", partition: "aws", gcpProject: "p", gcpProjectNumber: "1" },
        onResource: () => registered++,
        load: () => require("../../../index")(),
      }),
    ).rejects.toThrow(/assistants\[0\]\.aws\.grants\[0\]\.bucket[\s\S]*S3 bucket name/);
    expect(registered).toBe(0);
  });
});
