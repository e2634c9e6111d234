/**
 * Pins the exact observable behaviour of core/spec/validate.ts that bad-specs.test.ts leaves loose:
 * schema messages (plural unknown fields, a missing array element), expiry boundaries and the
 * default "now", subject-template claim checks, wildcard detection per source kind, the
 * "pins nothing" subject heuristic, read-only raw statements under a wildcard subject, the
 * per-assistant short-circuits, existing OIDC provider ARNs, and the cloud/audit stages that run
 * only once everything else is clean. Every expected error list is written out in full.
 */
import { validateSpec } from "../../../core/spec/validate";
import { validAssistant, validSpec } from "../../support/spec";

const NOW = new Date("2026-12-01T00:00:00Z");
const errorsOf = (raw: unknown, opts: { now?: Date; stack?: string } = { now: NOW }) => validateSpec(raw, opts).errors;

const READ_GRANT = { kind: "s3-read", bucket: "acme-artifacts", prefix: "app/" };
const WILDCARD_MSG = (values: string) =>
  `the subject contains a wildcard (${values}): pin an exact value, or set allowSubjectWildcard: true for an assistant whose grants are all read-only`;
const PINS_NOTHING_MSG = (subject: string) =>
  `the subject pattern "${subject}" pins nothing: a wildcard may only follow a fixed owner and repository (or project, namespace, trust domain)`;
const RAW_STATEMENT_MSG = "a wildcard subject allows read-only statements only (Read or List actions): pin the subject exactly";
const EXPIRED_MSG = (date: string) => `expired on ${date}: renew it (owner devex <devex@acme.example>) with a new date, or set revoked: true and remove the assistant`;

/** A second assistant that shares nothing with validAssistant() (name, environment, subject). */
const secondAssistant = (overrides: Record<string, unknown> = {}) =>
  validAssistant({
    name: "second-bot",
    environment: "prod",
    source: { kind: "github-actions", repository: "acme/app", ownerId: 1001, repositoryId: 2002, environment: "ai-prod" },
    ...overrides,
  });

/** A generic OIDC assistant that allows a wildcard subject. */
const oidcWildcard = (subject: string, aws: unknown = { grants: [READ_GRANT] }) =>
  validSpec([validAssistant({ source: { kind: "oidc", issuer: "https://idp.acme.example", subject, audience: "x", allowSubjectWildcard: true }, aws })]);

describe("schema messages", () => {
  test("two unknown fields: plural 'fields', each quoted, joined by ', '", () => {
    const spec = validSpec();
    spec.assistants[0].foo = 1;
    spec.assistants[0].bar = 2;
    expect(errorsOf(spec)).toEqual([
      { path: "assistants[0]", message: 'unknown fields "foo", "bar": check the spelling against schema/assistant-spec.schema.json' },
    ]);
  });

  test("a missing array element (numeric path) is 'is required' with no field name", () => {
    expect(errorsOf(validSpec([undefined]))).toEqual([{ path: "assistants[0]", message: "is required: expected object" }]);
  });

  test("a missing named field is quoted before 'is required'", () => {
    const spec = validSpec();
    delete spec.assistants[0].owner;
    expect(errorsOf(spec)).toEqual([{ path: "assistants[0].owner", message: '"owner" is required: expected object' }]);
  });

  test("a superRefine issue naming an absent field keeps its own message (not 'is required')", () => {
    const spec = validSpec();
    spec.platform.gcp = { projectId: "acme-agents-dev", projectNumber: "123456789012", existingPool: true };
    expect(errorsOf(spec)).toEqual([
      { path: "platform.gcp.workloadIdentityPoolId", message: "expected workloadIdentityPoolId when existingPool is true (which pool to use)" },
    ]);
  });
});

describe("expiry", () => {
  test("an expiry exactly at now has expired", () => {
    const spec = validSpec();
    spec.assistants[0].expires = "2026-12-01";
    expect(errorsOf(spec)).toEqual([{ path: "assistants[0].expires", message: EXPIRED_MSG("2026-12-01") }]);
  });

  test("an expiry exactly 366 days ahead is allowed; 367 days is not", () => {
    const ok = validSpec();
    ok.assistants[0].expires = "2027-12-02";
    expect(errorsOf(ok)).toEqual([]);
    const far = validSpec();
    far.assistants[0].expires = "2027-12-03";
    expect(errorsOf(far)).toEqual([
      { path: "assistants[0].expires", message: "expected an expiry within 366 days of today; got 2027-12-03: set a nearer date and renew it when it comes due" },
    ]);
  });

  test("opts.now is used when given (a later now expires the base spec)", () => {
    expect(errorsOf(validSpec(), { now: new Date("2027-06-01T00:00:00Z") })).toEqual([{ path: "assistants[0].expires", message: EXPIRED_MSG("2027-03-31") }]);
  });
});

describe("GitHub subject templates", () => {
  const withClaims = (claims: string[]) => {
    const spec = validSpec();
    spec.assistants[0].source.subjectClaims = claims;
    return spec;
  };

  test("a template starting with repository_owner_id that includes repository_id is valid", () => {
    expect(errorsOf(withClaims(["repository_owner_id", "repository_id", "environment"]))).toEqual([]);
  });

  test("repo instead of repository_id satisfies the repository requirement", () => {
    expect(errorsOf(withClaims(["repository_owner_id", "repo", "environment"]))).toEqual([]);
  });

  test("each claim the spec gives no value gets its own error at its index", () => {
    expect(errorsOf(withClaims(["repository_owner_id", "repository_id", "job_workflow_ref", "workflow"]))).toEqual([
      {
        path: "assistants[0].source.subjectClaims[2]",
        message: 'claim "job_workflow_ref" has no value in the spec: pin it (environment, branch, tag or workflowRef) or drop it from the template',
      },
      {
        path: "assistants[0].source.subjectClaims[3]",
        message: 'claim "workflow" has no value in the spec: pin it (environment, branch, tag or workflowRef) or drop it from the template',
      },
    ]);
  });
});

describe("wildcard detection per source kind", () => {
  const gitlab = (ref: string) => validSpec([validAssistant({ source: { kind: "gitlab-ci", projectPath: "platform/agents", ref } })]);
  const spiffe = (spiffeId: string) =>
    validSpec([validAssistant({ source: { kind: "spiffe", issuer: "https://spire.acme.example", spiffeId, audience: "sts.amazonaws.com" } })]);

  test("GitLab: an exact ref is valid", () => {
    expect(errorsOf(gitlab("main"))).toEqual([]);
  });

  test("GitLab: a wildcard ref is reported", () => {
    expect(errorsOf(gitlab("release/*"))).toEqual([{ path: "assistants[0].source", message: WILDCARD_MSG("release/*") }]);
  });

  test("SPIFFE: an exact id is valid", () => {
    expect(errorsOf(spiffe("spiffe://acme.example/agents/bot"))).toEqual([]);
  });

  test("SPIFFE: a wildcard id is reported", () => {
    expect(errorsOf(spiffe("spiffe://acme.example/agents/*"))).toEqual([{ path: "assistants[0].source", message: WILDCARD_MSG("spiffe://acme.example/agents/*") }]);
  });

  test("GitHub: every wildcard pin is listed, joined by ', '", () => {
    const spec = validSpec();
    const s = spec.assistants[0].source;
    s.environment = "ai-*";
    s.branch = "release/*";
    s.subjectClaims = ["repository_owner_id", "repository_id", "environment", "ref"];
    expect(errorsOf(spec)).toEqual([{ path: "assistants[0].source", message: WILDCARD_MSG("ai-*, release/*") }]);
  });

  test("OIDC: an exact subject (even a short one) is valid", () => {
    expect(errorsOf(oidcWildcard("agent-7"))).toEqual([]);
  });
});

describe("a wildcard subject must pin something", () => {
  test.each<[string, boolean]>([
    ["abcdefg*", true], // 7 fixed characters
    ["abcdefgh*", false], // 8 fixed characters
    ["abc*", true],
    ["*abcdefghij", true], // starts with a wildcard
    ["abcdefghij*", false],
  ])("%p pins nothing: %p", (subject, bad) => {
    expect(errorsOf(oidcWildcard(subject))).toEqual(bad ? [{ path: "assistants[0].source", message: PINS_NOTHING_MSG(subject) }] : []);
  });

  test("a wildcard assistant without an aws section is valid", () => {
    const a = validAssistant({ source: { kind: "oidc", issuer: "https://idp.acme.example", subject: "agents-bot-*", audience: "x", allowSubjectWildcard: true } });
    delete a.aws;
    expect(errorsOf(validSpec([a]))).toEqual([]);
  });
});

describe("raw statements under a wildcard subject", () => {
  const withActions = (actions: string[]) =>
    oidcWildcard("agents-bot-*", { grants: [READ_GRANT], statements: [{ actions, resources: ["arn:aws:s3:::b/x"], reason: "legacy tool needs it" }] });

  test.each<[string[], boolean]>([
    [["s3:GetObject"], true],
    [["s3:Get*"], true], // expands to read actions only
    [["s3:PutObject"], false],
    [["s3:GetObject", "s3:PutObject"], false], // every action must be read-only
    [["s3:*Object"], false], // expands to reads and writes
    [["foo:Bar"], false], // expands to nothing: not known to be read-only
  ])("%p read-only: %p", (actions, readOnly) => {
    expect(errorsOf(withActions(actions))).toEqual(readOnly ? [] : [{ path: "assistants[0].aws.statements[0].actions", message: RAW_STATEMENT_MSG }]);
  });
});

describe("short-circuits", () => {
  test("an error under the source (not only at .source) skips the wildcard checks", () => {
    const spec = validSpec();
    const s = spec.assistants[0].source;
    delete s.environment;
    s.branch = "release/*";
    s.subjectClaims = ["repository_owner_id", "ref"];
    expect(errorsOf(spec)).toEqual([
      {
        path: "assistants[0].source.subjectClaims",
        message: "expected the template to include repository_id (or repo): otherwise every repository of the owner shares the subject",
      },
    ]);
  });

  test("an error outside the source does not skip the wildcard checks", () => {
    const spec = validSpec();
    const a = spec.assistants[0];
    a.expires = "2026-11-01";
    delete a.source.environment;
    a.source.branch = "release/*";
    expect(errorsOf(spec)).toEqual([
      { path: "assistants[0].expires", message: EXPIRED_MSG("2026-11-01") },
      { path: "assistants[0].source", message: WILDCARD_MSG("release/*") },
    ]);
  });

  test("an error in one assistant does not skip the AWS plan of another", () => {
    const spec = validSpec([
      validAssistant({ expires: "2026-11-01" }),
      secondAssistant({ aws: { statements: [{ actions: ["*"], resources: ["arn:aws:s3:::b/*"], reason: "legacy tool needs it" }] } }),
    ]);
    expect(errorsOf(spec)).toEqual([
      { path: "assistants[0].expires", message: EXPIRED_MSG("2026-11-01") },
      { path: "assistants[1].aws.statements[0].actions[0]", message: 'must not allow every action; got "*" (fix: List the exact actions needed.)' },
    ]);
  });
});

describe("existing OIDC providers", () => {
  test("the ARN of the issuer's own provider is accepted", () => {
    const spec = validSpec();
    spec.platform.aws.existingOidcProviders = {
      "https://token.actions.githubusercontent.com": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
    };
    expect(errorsOf(spec)).toEqual([]);
  });
});

describe("stages that run once the rest is clean", () => {
  test("cloud checks: one GitHub App installation managed twice is reported", () => {
    const app = { app: { appId: 11, installationId: 22, repositories: ["docs"] } };
    const spec = validSpec([validAssistant({ github: app }), secondAssistant({ github: app })]);
    expect(errorsOf(spec)).toEqual([
      {
        path: "assistants[1].github.app.installationId",
        message: "installation 22 is already managed for assistants[0]: one GitHub App installation per assistant (its repository set is managed whole)",
      },
    ]);
  });

  test("audit plan: too many data event types are reported", () => {
    const grants = [
      { kind: "s3-read", bucket: "acme-artifacts" },
      { kind: "dynamodb-read", table: "orders" },
      { kind: "lambda-invoke", functionName: "fn" },
      { kind: "sqs-send", queue: "q" },
      { kind: "sns-publish", topic: "t" },
    ];
    expect(errorsOf(validSpec([validAssistant({ aws: { grants } })]))).toEqual([
      {
        path: "platform.audit.aws.dataEventTypes",
        message:
          "the assistants' grants produce data events of 5 resource types (AWS::S3::Object, AWS::DynamoDB::Table, AWS::Lambda::Function, AWS::SQS::Queue, AWS::SNS::Topic); an event data store takes 5 selectors and the management partition uses 2: list at most 3 in dataEventTypes",
      },
    ]);
  });
});
