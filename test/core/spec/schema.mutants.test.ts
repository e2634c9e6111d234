/**
 * Pins the exact observable behaviour of core/spec/schema.ts (the zod schemas of the stack spec):
 * for every regex, values that must pass and values that must fail (anchors, repetition counts,
 * character classes); every user-facing message with its issue path; the defaults a parse fills
 * in (issuers, subjectForm, refType, partition, namePrefix, prefix "", grants/statements [],
 * allowSubjectWildcard and revoked false); the enum values; and the JSON Schema refusal of the
 * Kubernetes 'default' service account.
 *
 * The schemas are built when the module is imported, and Stryker's per-test coverage only credits
 * code run while a test runs, so every test loads the module inside its own body
 * (jest.isolateModules), once, and runs its area's checks as steps. core/spec/schema itself is never
 * imported at file level; zod and the section schemas it composes are, and are shared with each copy.
 */
import { validAssistant, validSpec } from "../../support/spec";

type SchemaModule = typeof import("../../../core/spec/schema");

/**
 * A fresh copy of core/spec/schema (its schemas rebuilt inside the calling test), loaded once per
 * test: each test below is one area and runs its checks as steps, so a mutation run (which runs
 * every test of this file for every mutant of the module) loads the module 16 times, not 63.
 */
let loaded: { test: string | undefined; m: SchemaModule } | undefined;
// zod and the section schemas schema.ts composes (each measured with its own tests) are not under
// test here: the fresh copy of core/spec/schema gets the instances loaded once for the file.
/* eslint-disable @typescript-eslint/no-require-imports */
const shared: Record<string, unknown> = {
  zod: require("zod"),
  "../../../core/spec/tools": require("../../../core/spec/tools"),
  "../../../core/spec/credentials": require("../../../core/spec/credentials"),
  "../../../core/spec/audit": require("../../../core/spec/audit"),
  "../../../core/spec/gcp": require("../../../core/spec/gcp"),
  "../../../core/spec/github": require("../../../core/spec/github"),
  "../../../core/oidc/default-account": require("../../../core/oidc/default-account"),
};
/* eslint-enable @typescript-eslint/no-require-imports */
const load = (): SchemaModule => {
  const test = expect.getState().currentTestName;
  if (loaded && loaded.test === test) return loaded.m;
  let m: SchemaModule | undefined;
  jest.isolateModules(() => {
    for (const [path, instance] of Object.entries(shared)) jest.doMock(path, () => instance);
    m = require("../../../core/spec/schema") as SchemaModule;
  });
  loaded = { test, m: m! };
  return m!;
};

/** One named check of an area's test (the name documents it; a failure points at its line). */
const step = (_what: string, fn: () => void): void => fn();

interface Parser {
  safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } };
}
type Issue = { path: PropertyKey[]; message: string };
type Outcome = "ok" | Issue[];

/** "ok" when the input parses, else its issues as { path, message }. */
const outcome = (schema: Parser, v: unknown): Outcome => {
  const r = schema.safeParse(v);
  return r.success ? "ok" : r.error!.issues.map((i) => ({ path: i.path, message: i.message }));
};

/** The parsed value of an accepted input (the test fails with the issues otherwise). */
const parsed = (schema: Parser, v: unknown): any => {
  const r = schema.safeParse(v);
  expect(r.error?.issues ?? []).toEqual([]);
  return r.data;
};

/**
 * Each row's value wrapped into a whole input and parsed: returns [value, outcome] rows, so a test
 * compares the whole table at once (`expect(rows(...)).toEqual(expected)`) and a diff names the value.
 */
const rows = (schema: Parser, wrap: (v: any) => unknown, expected: [unknown, Outcome][]) =>
  expected.map(([v]) => [v, outcome(schema, wrap(v))]);

const OK = "ok" as const;
const bad = (path: PropertyKey[], ...messages: string[]): Issue[] => messages.map((message) => ({ path, message }));

const tooSmallStr = (n: number) => `Too small: expected string to have >=${n} characters`;
const tooBigStr = (n: number) => `Too big: expected string to have <=${n} characters`;

const GH = { kind: "github-actions", repository: "acme/app", ownerId: 1001, repositoryId: 2002, environment: "ai-review" };
const GL = { kind: "gitlab-ci", projectPath: "platform/agents", ref: "main" };
const K8S = { kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/AB12", namespace: "agents", serviceAccount: "pr-bot" };
const SPIFFE = { kind: "spiffe", issuer: "https://spire.acme.example", spiffeId: "spiffe://acme.example/ns/agents/sa/bot", audience: "sts.amazonaws.com" };
const OIDC = { kind: "oidc", issuer: "https://idp.acme.example", subject: "agent-7", audience: "sts.amazonaws.com" };
const STMT = { actions: ["s3:GetObject", "s3:ListBucket"], resources: ["arn:aws:s3:::b/x", "arn:aws:s3:::b"], reason: "legacy tool needs it" };
const ARN = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

const ISSUER_MSG = "expected an https:// issuer URL with no query, fragment or trailing wildcard (e.g. https://token.actions.githubusercontent.com)";
const ISSUER_SLASH_MSG = "expected an issuer URL without a trailing slash (the token's iss claim has none)";
const DATE_MSG = "expected a date as YYYY-MM-DD";
const REAL_DATE_MSG = "expected a real calendar date as YYYY-MM-DD";
const INSTANT_MSG = "expected an instant as YYYY-MM-DDTHH:MM:SSZ";
const REAL_INSTANT_MSG = "expected a real instant as YYYY-MM-DDTHH:MM:SSZ";
const REGION_MSG = "expected an AWS region such as eu-west-1";
const BUCKET_MSG = "expected an S3 bucket name (3-63 of a-z 0-9 . -, no wildcard)";
const PREFIX_MSG = "expected an S3 key prefix without '*', '?' or spaces (e.g. reports/)";
const PREFIX_SLASH_MSG = "expected a key prefix without a leading '/'";
const ACCOUNT_MSG = "expected a 12-digit AWS account id";

// ---------------------------------------------------------------------------------------------
// Exported constants
// ---------------------------------------------------------------------------------------------

test("exported constants", () => {
  step("GITHUB_ISSUER and DEFAULT_AUDIENCE_AWS are GitHub's token issuer and STS's audience", () => {
    const m = load();
    expect(m.GITHUB_ISSUER).toBe("https://token.actions.githubusercontent.com");
    expect(m.DEFAULT_AUDIENCE_AWS).toBe("sts.amazonaws.com");
  });
});

// ---------------------------------------------------------------------------------------------
// Issuer URLs, dates and instants
// ---------------------------------------------------------------------------------------------

test("issuer URLs (httpsUrl)", () => {
  step("https hosts with an optional port and path are accepted; anything else gets the issuer message", () => {
    const { OidcSource } = load();
    const wrap = (issuer: string) => ({ ...OIDC, issuer });
    const expected: [string, Outcome][] = [
      ["https://idp.acme.example", OK],
      ["https://idp.acme.example:8443", OK],
      ["https://idp.acme.example:8443/realms/agents", OK],
      ["https://oidc.eks.eu-west-1.amazonaws.com/id/AB12", OK],
      ["https://token.actions.githubusercontent.com/acme-enterprise", OK],
      ["https://idp.acme.example/a.b_c~d-e/F", OK],
      ["http://idp.acme.example", bad(["issuer"], ISSUER_MSG)],
      ["xhttps://idp.acme.example", bad(["issuer"], ISSUER_MSG)],
      ["https://idp.acme.example?x=1", bad(["issuer"], ISSUER_MSG)],
      ["https://idp.acme.example#frag", bad(["issuer"], ISSUER_MSG)],
      ["https://idp.acme.example/*", bad(["issuer"], ISSUER_MSG)],
      ["https://IDP.acme.example", bad(["issuer"], ISSUER_MSG)],
      ["https://idp.acme.example:https", bad(["issuer"], ISSUER_MSG)],
      ["https://", bad(["issuer"], ISSUER_MSG, ISSUER_SLASH_MSG)],
    ];
    expect(rows(OidcSource, wrap, expected)).toEqual(expected);
  });

  step("a trailing slash is refused with its own message (and only that one)", () => {
    const { OidcSource } = load();
    expect(outcome(OidcSource, { ...OIDC, issuer: "https://idp.acme.example/" })).toEqual(bad(["issuer"], ISSUER_SLASH_MSG));
    expect(outcome(OidcSource, { ...OIDC, issuer: "https://idp.acme.example/realms/" })).toEqual(bad(["issuer"], ISSUER_SLASH_MSG));
    expect(outcome(OidcSource, { ...OIDC, issuer: "https://idp.acme.example/realms" })).toBe(OK);
  });
});

test("dates (expires) and instants (revokeSessionsIssuedBefore)", () => {
  step("expires: YYYY-MM-DD of a real day passes; other shapes and unreal days get their messages", () => {
    const { Assistant } = load();
    const wrap = (expires: string) => validAssistant({ expires });
    const expected: [string, Outcome][] = [
      ["2027-03-31", OK],
      ["2028-02-29", OK],
      ["2027-12-01", OK],
      ["2027-02-30", bad(["expires"], REAL_DATE_MSG)],
      ["2027-13-01", bad(["expires"], REAL_DATE_MSG)],
      ["x2027-03-31", bad(["expires"], DATE_MSG, REAL_DATE_MSG)],
      ["2027-03-31x", bad(["expires"], DATE_MSG, REAL_DATE_MSG)],
      ["2027-3-31", bad(["expires"], DATE_MSG, REAL_DATE_MSG)],
      ["31/12/2027", bad(["expires"], DATE_MSG, REAL_DATE_MSG)],
      ["2027-03-31T00:00:00Z", bad(["expires"], DATE_MSG, REAL_DATE_MSG)],
    ];
    expect(rows(Assistant, wrap, expected)).toEqual(expected);
  });

  step("revokeSessionsIssuedBefore: ISO instants with optional seconds, fraction and offset pass", () => {
    const { Assistant } = load();
    const wrap = (revokeSessionsIssuedBefore: string) => validAssistant({ revokeSessionsIssuedBefore });
    const expected: [string, Outcome][] = [
      ["2026-01-01T10:30Z", OK],
      ["2026-01-01T10:30:00Z", OK],
      ["2026-01-01T10:30:00.123Z", OK],
      ["2026-01-01T10:30:00.123456789Z", OK],
      ["2026-01-01T10:30:00+02:00", OK],
      ["2026-01-01T10:30:00-05:30", OK],
      ["2026-01-01T10:30+02:00", OK],
    ];
    expect(rows(Assistant, wrap, expected)).toEqual(expected);
    expect(parsed(Assistant, wrap("2026-01-01T10:30:00.123+02:00")).revokeSessionsIssuedBefore).toBe("2026-01-01T10:30:00.123+02:00");
  });

  step("revokeSessionsIssuedBefore: other shapes get the instant message, unreal instants the real-instant one", () => {
    const { Assistant } = load();
    const wrap = (revokeSessionsIssuedBefore: string) => validAssistant({ revokeSessionsIssuedBefore });
    const P = ["revokeSessionsIssuedBefore"];
    const expected: [string, Outcome][] = [
      ["2026-01-01", bad(P, INSTANT_MSG)],
      ["2026-01-01T10:30:00", bad(P, INSTANT_MSG)],
      ["2026-01-01 10:30:00Z", bad(P, INSTANT_MSG)],
      ["x2026-01-01T10:30:00Z", bad(P, INSTANT_MSG, REAL_INSTANT_MSG)],
      ["2026-01-01T10:30:00Zx", bad(P, INSTANT_MSG, REAL_INSTANT_MSG)],
      ["2026-01-01T10:30:00.1234567890Z", bad(P, INSTANT_MSG)],
      ["2026-01-01T10:30:00.Z", bad(P, INSTANT_MSG, REAL_INSTANT_MSG)],
      ["2026-01-01T10:30:00*02:00", bad(P, INSTANT_MSG, REAL_INSTANT_MSG)],
      ["2026-13-01T10:30:00Z", bad(P, REAL_INSTANT_MSG)],
      ["2026-01-01T25:30:00Z", bad(P, REAL_INSTANT_MSG)],
    ];
    expect(rows(Assistant, wrap, expected)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Workload identity sources
// ---------------------------------------------------------------------------------------------

test("github-actions source", () => {
  step("a minimal source parses with its defaults: classic subject, GitHub's issuer, no wildcard", () => {
    const { GithubActionsSource } = load();
    expect(parsed(GithubActionsSource, GH)).toEqual({
      ...GH,
      subjectForm: "classic",
      issuer: "https://token.actions.githubusercontent.com",
      allowSubjectWildcard: false,
    });
  });

  step("every optional field is accepted with a typical value and kept as written", () => {
    const { GithubActionsSource } = load();
    const full = {
      ...GH,
      branch: "main",
      tag: "v1.2.3",
      workflowRef: "acme/workflows/.github/workflows/deploy.yml@refs/heads/main",
      subjectForm: "immutable",
      subjectClaims: ["repository_owner_id", "repository_id", "environment"],
      issuer: "https://token.actions.githubusercontent.com/acme-enterprise",
      audience: "sts.amazonaws.com",
      allowSubjectWildcard: true,
    };
    expect(parsed(GithubActionsSource, full)).toEqual(full);
    expect(parsed(GithubActionsSource, { ...GH, subjectForm: "classic" }).subjectForm).toBe("classic");
  });

  step("kind must be github-actions; subjectForm only classic or immutable", () => {
    const { GithubActionsSource } = load();
    expect(outcome(GithubActionsSource, { ...GH, kind: "" })).toEqual(bad(["kind"], 'Invalid input: expected "github-actions"'));
    expect(outcome(GithubActionsSource, { ...GH, subjectForm: "" })).toEqual(bad(["subjectForm"], 'Invalid option: expected one of "classic"|"immutable"'));
  });

  step("repository: OWNER/REPO of GitHub's characters, anchored at both ends", () => {
    const { GithubActionsSource } = load();
    const MSG = "expected OWNER/REPO with no wildcard (e.g. acme/payments-api)";
    const wrap = (repository: string) => ({ ...GH, repository });
    const expected: [string, Outcome][] = [
      ["acme/app", OK],
      ["Acme-Corp/payments.api_v2", OK],
      ["a/b", OK],
      [`a${"b".repeat(38)}/${"r".repeat(100)}`, OK],
      [`a${"b".repeat(39)}/r`, bad(["repository"], MSG)],
      [`acme/${"r".repeat(101)}`, bad(["repository"], MSG)],
      ["-acme/app", bad(["repository"], MSG)],
      ["acme/app*", bad(["repository"], MSG)],
      ["acme/*", bad(["repository"], MSG)],
      ["acme", bad(["repository"], MSG)],
      ["acme/app/x", bad(["repository"], MSG)],
    ];
    expect(rows(GithubActionsSource, wrap, expected)).toEqual(expected);
  });

  step("ownerId and repositoryId: numeric, whole, positive, each with its own messages", () => {
    const { GithubActionsSource } = load();
    const expected: [unknown, Outcome][] = [
      ["1001", bad(["ownerId"], "expected the numeric repository owner id (GitHub API: .id)")],
      [1.5, bad(["ownerId"], "expected the numeric repository owner id as a whole number")],
      [0, bad(["ownerId"], "expected the numeric repository owner id as a positive number")],
      [-4, bad(["ownerId"], "expected the numeric repository owner id as a positive number")],
      [1, OK],
    ];
    expect(rows(GithubActionsSource, (ownerId) => ({ ...GH, ownerId }), expected)).toEqual(expected);
    const expectedRepo: [unknown, Outcome][] = [
      ["2002", bad(["repositoryId"], "expected the numeric repository id (GitHub API: .id)")],
      [2.5, bad(["repositoryId"], "expected the numeric repository id as a whole number")],
      [0, bad(["repositoryId"], "expected the numeric repository id as a positive number")],
      [2, OK],
    ];
    expect(rows(GithubActionsSource, (repositoryId) => ({ ...GH, repositoryId }), expectedRepo)).toEqual(expectedRepo);
  });

  step("environment, branch and tag pins: non-empty, no spaces or ':', each message naming the pin", () => {
    const { GithubActionsSource } = load();
    const pin = (field: string, what: string, article = "a") => {
      const wrap = (v: string) => ({ ...GH, environment: undefined, [field]: v });
      const expected: [string, Outcome][] = [
        ["ai-review", OK],
        ["release/*", OK],
        ["x", OK],
        ["", bad([field], `expected a non-empty ${what}`, `expected ${article} ${what} without spaces or ':'`)],
        ["a:b", bad([field], `expected ${article} ${what} without spaces or ':'`)],
        ["ab:", bad([field], `expected ${article} ${what} without spaces or ':'`)],
        [":ab", bad([field], `expected ${article} ${what} without spaces or ':'`)],
        ["a b", bad([field], `expected ${article} ${what} without spaces or ':'`)],
        ["ab\t", bad([field], `expected ${article} ${what} without spaces or ':'`)],
      ];
      expect(rows(GithubActionsSource, wrap, expected)).toEqual(expected);
    };
    pin("environment", "environment name", "an");
    pin("branch", "branch name");
    pin("tag", "tag name");
  });

  step("workflowRef: OWNER/REPO/.github/workflows/FILE.y(a)ml@refs/(heads|tags)/REF, anchored, no wildcard", () => {
    const { GithubActionsSource } = load();
    const MSG = "expected OWNER/REPO/.github/workflows/FILE.yml@refs/heads/BRANCH (no wildcard)";
    const wrap = (workflowRef: string) => ({ ...GH, workflowRef });
    const expected: [string, Outcome][] = [
      ["acme/workflows/.github/workflows/deploy.yml@refs/heads/main", OK],
      ["acme/workflows/.github/workflows/deploy.yaml@refs/tags/v1.2.3", OK],
      ["Acme-1/ci.tools_x/.github/workflows/build-and.test.yml@refs/heads/release/2026", OK],
      ["acme/workflows/.github/workflows/deploy.yml@main", bad(["workflowRef"], MSG)],
      ["*acme/workflows/.github/workflows/deploy.yml@refs/heads/main", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/deploy.yml@refs/heads/main x", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/deploy.yml@refs/heads/*", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/deploy.yml@refs/heads/", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/deploy.yml@refs/pull/1", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/deploy.json@refs/heads/main", bad(["workflowRef"], MSG)],
      ["acme/.github/workflows/deploy.yml@refs/heads/main", bad(["workflowRef"], MSG)],
      ["acme/workflows/.github/workflows/*.yml@refs/heads/main", bad(["workflowRef"], MSG)],
    ];
    expect(rows(GithubActionsSource, wrap, expected)).toEqual(expected);
  });

  step("subjectClaims: one or more lowercase claim keys; an empty list or another key is refused", () => {
    const { GithubActionsSource } = load();
    const MSG = "expected a claim key such as repository_owner_id";
    const wrap = (subjectClaims: string[]) => ({ ...GH, subjectClaims });
    const expected: [string[], Outcome][] = [
      [["repository_owner_id"], OK],
      [["repository_owner_id", "repository_id", "environment"], OK],
      [["x"], OK],
      [[], bad(["subjectClaims"], "Too small: expected array to have >=1 items")],
      [["Repository_id"], bad(["subjectClaims", 0], MSG)],
      [["repository_id1"], bad(["subjectClaims", 0], MSG)],
      [["repository_id", "job-workflow-ref"], bad(["subjectClaims", 1], MSG)],
      [[""], bad(["subjectClaims", 0], MSG)],
    ];
    expect(rows(GithubActionsSource, wrap, expected)).toEqual(expected);
  });

  step("audience: any non-empty string", () => {
    const { GithubActionsSource } = load();
    const expected: [string, Outcome][] = [
      ["sts.amazonaws.com", OK],
      ["x", OK],
      ["", bad(["audience"], tooSmallStr(1))],
    ];
    expect(rows(GithubActionsSource, (audience) => ({ ...GH, audience }), expected)).toEqual(expected);
  });
});

test("gitlab-ci source", () => {
  step("a minimal source parses with its defaults: branch refs, gitlab.com, no wildcard", () => {
    const { GitlabCiSource } = load();
    expect(parsed(GitlabCiSource, GL)).toEqual({ ...GL, refType: "branch", issuer: "https://gitlab.com", allowSubjectWildcard: false });
    const full = { ...GL, refType: "tag", issuer: "https://gitlab.acme.example", audience: "sts.amazonaws.com", allowSubjectWildcard: true };
    expect(parsed(GitlabCiSource, full)).toEqual(full);
    expect(parsed(GitlabCiSource, { ...GL, refType: "branch" }).refType).toBe("branch");
  });

  step("kind, refType and audience are checked", () => {
    const { GitlabCiSource } = load();
    expect(outcome(GitlabCiSource, { ...GL, kind: "" })).toEqual(bad(["kind"], 'Invalid input: expected "gitlab-ci"'));
    expect(outcome(GitlabCiSource, { ...GL, refType: "" })).toEqual(bad(["refType"], 'Invalid option: expected one of "branch"|"tag"'));
    expect(outcome(GitlabCiSource, { ...GL, audience: "" })).toEqual(bad(["audience"], tooSmallStr(1)));
  });

  step("projectPath: GROUP[/SUBGROUP…]/PROJECT, anchored, no wildcard", () => {
    const { GitlabCiSource } = load();
    const MSG = "expected GROUP/PROJECT with no wildcard (e.g. platform/agents)";
    const wrap = (projectPath: string) => ({ ...GL, projectPath });
    const expected: [string, Outcome][] = [
      ["platform/agents", OK],
      ["platform/team.a/sub_b/agents-1", OK],
      ["a/b", OK],
      ["agents", bad(["projectPath"], MSG)],
      ["*platform/agents", bad(["projectPath"], MSG)],
      ["platform/agents*", bad(["projectPath"], MSG)],
      ["platform//agents", bad(["projectPath"], MSG)],
      ["platform/agents/", bad(["projectPath"], MSG)],
    ];
    expect(rows(GitlabCiSource, wrap, expected)).toEqual(expected);
  });

  step("ref: non-empty, no spaces or ':', messages naming the ref", () => {
    const { GitlabCiSource } = load();
    const expected: [string, Outcome][] = [
      ["main", OK],
      ["", bad(["ref"], "expected a non-empty ref name", "expected a ref name without spaces or ':'")],
      ["a b", bad(["ref"], "expected a ref name without spaces or ':'")],
    ];
    expect(rows(GitlabCiSource, (ref) => ({ ...GL, ref }), expected)).toEqual(expected);
  });
});

test("kubernetes source", () => {
  step("a valid source parses with allowSubjectWildcard false; audience kept when set", () => {
    const { KubernetesSource } = load();
    expect(parsed(KubernetesSource, K8S)).toEqual({ ...K8S, allowSubjectWildcard: false });
    const full = { ...K8S, audience: "sts.amazonaws.com", allowSubjectWildcard: true };
    expect(parsed(KubernetesSource, full)).toEqual(full);
    expect(outcome(KubernetesSource, { ...K8S, audience: "" })).toEqual(bad(["audience"], tooSmallStr(1)));
    expect(outcome(KubernetesSource, { ...K8S, kind: "" })).toEqual(bad(["kind"], 'Invalid input: expected "kubernetes"'));
  });

  step("namespace: a DNS label of at most 63 characters, anchored", () => {
    const { KubernetesSource } = load();
    const MSG = "expected a Kubernetes namespace name (no wildcard)";
    const wrap = (namespace: string) => ({ ...K8S, namespace });
    const expected: [string, Outcome][] = [
      ["agents", OK],
      ["a", OK],
      ["ai-agents-2", OK],
      ["a".repeat(63), OK],
      ["a".repeat(64), bad(["namespace"], tooBigStr(63))],
      ["-agents", bad(["namespace"], MSG)],
      ["agents-", bad(["namespace"], MSG)],
      ["*", bad(["namespace"], MSG)],
      ["ai.agents", bad(["namespace"], MSG)],
      ["Agents", bad(["namespace"], MSG)],
    ];
    expect(rows(KubernetesSource, wrap, expected)).toEqual(expected);
  });

  step("serviceAccount: a DNS subdomain of at most 253 characters, anchored", () => {
    const { KubernetesSource } = load();
    const MSG = "expected a Kubernetes service account name (no wildcard)";
    const wrap = (serviceAccount: string) => ({ ...K8S, serviceAccount });
    const expected: [string, Outcome][] = [
      ["pr-bot", OK],
      ["b", OK],
      ["pr.bot-2", OK],
      ["b".repeat(253), OK],
      ["b".repeat(254), bad(["serviceAccount"], tooBigStr(253))],
      ["-pr-bot", bad(["serviceAccount"], MSG)],
      [".pr-bot", bad(["serviceAccount"], MSG)],
      ["pr-bot.", bad(["serviceAccount"], MSG)],
      ["*", bad(["serviceAccount"], MSG)],
      ["pr_bot", bad(["serviceAccount"], MSG)],
    ];
    expect(rows(KubernetesSource, wrap, expected)).toEqual(expected);
  });

  step("serviceAccount 'default' is refused with the own-service-account message", () => {
    const { KubernetesSource } = load();
    expect(outcome(KubernetesSource, { ...K8S, serviceAccount: "default" })).toEqual(
      bad(
        ["serviceAccount"],
        "expected the assistant's own service account, not the namespace's 'default' one (every pod that names no service account runs as it): create a service account for the assistant",
      ),
    );
    expect(outcome(KubernetesSource, { ...K8S, serviceAccount: "default2" })).toBe(OK);
  });

  step("the JSON Schema of serviceAccount refuses 'default' too (not: { const: 'default' })", () => {
    let z: typeof import("zod") | undefined;
    let m: SchemaModule | undefined;
    jest.isolateModules(() => {
      z = require("zod");
      m = require("../../../core/spec/schema");
    });
    const js = z!.toJSONSchema(m!.KubernetesSource, { io: "input", unrepresentable: "any" }) as any;
    expect(js.properties.serviceAccount.not).toEqual({ const: "default" });
  });
});

test("spiffe source", () => {
  step("a valid source parses with allowSubjectWildcard false", () => {
    const { SpiffeSource } = load();
    expect(parsed(SpiffeSource, SPIFFE)).toEqual({ ...SPIFFE, allowSubjectWildcard: false });
    expect(parsed(SpiffeSource, { ...SPIFFE, allowSubjectWildcard: true }).allowSubjectWildcard).toBe(true);
    expect(outcome(SpiffeSource, { ...SPIFFE, kind: "" })).toEqual(bad(["kind"], 'Invalid input: expected "spiffe"'));
  });

  step("spiffeId: spiffe://TRUST-DOMAIN/PATH with a lowercase trust domain and non-empty segments", () => {
    const { SpiffeSource } = load();
    const MSG = "expected spiffe://TRUST-DOMAIN/PATH (lowercase trust domain, a non-empty path)";
    const wrap = (spiffeId: string) => ({ ...SPIFFE, spiffeId });
    const expected: [string, Outcome][] = [
      ["spiffe://acme.example/ns/agents/sa/bot", OK],
      ["spiffe://acme.example/agent", OK],
      ["spiffe://a/b", OK],
      ["spiffe://acme_1-x.example/A.b~c!$&'()+,;=:@%*-d", OK],
      ["xspiffe://acme.example/agent", bad(["spiffeId"], MSG)],
      ["spiffe://acme.example/agent/", bad(["spiffeId"], MSG)],
      ["spiffe://acme.example/agent?x", bad(["spiffeId"], MSG)],
      ["spiffe://acme.example", bad(["spiffeId"], MSG)],
      ["spiffe://Acme.example/agent", bad(["spiffeId"], MSG)],
      ["spiffe://acme.example//agent", bad(["spiffeId"], MSG)],
      ["https://acme/x", bad(["spiffeId"], MSG)],
    ];
    expect(rows(SpiffeSource, wrap, expected)).toEqual(expected);
  });

  step("audience: required non-empty, with the JWT-SVID message", () => {
    const { SpiffeSource } = load();
    const expected: [string, Outcome][] = [
      ["sts.amazonaws.com", OK],
      ["x", OK],
      ["", bad(["audience"], "expected the JWT-SVID audience the workload requests")],
    ];
    expect(rows(SpiffeSource, (audience) => ({ ...SPIFFE, audience }), expected)).toEqual(expected);
  });
});

test("oidc source", () => {
  step("a valid source parses with allowSubjectWildcard false; empty sub and aud get their messages", () => {
    const { OidcSource } = load();
    expect(parsed(OidcSource, OIDC)).toEqual({ ...OIDC, allowSubjectWildcard: false });
    expect(parsed(OidcSource, { ...OIDC, subject: "s", audience: "a" })).toEqual({ ...OIDC, subject: "s", audience: "a", allowSubjectWildcard: false });
    expect(outcome(OidcSource, { ...OIDC, subject: "" })).toEqual(bad(["subject"], "expected the exact sub claim"));
    expect(outcome(OidcSource, { ...OIDC, audience: "" })).toEqual(bad(["audience"], "expected the exact aud claim"));
    expect(outcome(OidcSource, { ...OIDC, kind: "" })).toEqual(bad(["kind"], 'Invalid input: expected "oidc"'));
  });
});

test("Source (the union of kinds)", () => {
  step("each kind parses through the union; an unknown kind names the five kinds", () => {
    const { Source } = load();
    expect(parsed(Source, GH).kind).toBe("github-actions");
    expect(parsed(Source, GL).kind).toBe("gitlab-ci");
    expect(parsed(Source, K8S).kind).toBe("kubernetes");
    expect(parsed(Source, SPIFFE).kind).toBe("spiffe");
    expect(parsed(Source, OIDC).kind).toBe("oidc");
    expect(outcome(Source, { kind: "jenkins" })).toEqual(bad(["kind"], "expected source.kind to be one of github-actions, gitlab-ci, kubernetes, spiffe, oidc"));
  });
});

// ---------------------------------------------------------------------------------------------
// AWS grants
// ---------------------------------------------------------------------------------------------

/** Checks one grant field: `value` wrapped as `{ kind, ...base, [field]: value }`. */
const grantRows = (kind: string, field: string, base: Record<string, unknown>, expected: [unknown, Outcome][]) => {
  const { AwsGrant } = load();
  expect(rows(AwsGrant, (v) => ({ kind, ...base, [field]: v }), expected)).toEqual(expected);
};
const named = (what: string, article = "a") => `expected ${article} ${what} (no wildcard)`;

test("AWS grants: one valid example per kind", () => {
  step("every kind parses to exactly what was written (prefix defaulting to '')", () => {
    const { AwsGrant } = load();
    const examples: Record<string, unknown>[] = [
      { kind: "s3-read", bucket: "acme-artifacts", prefix: "app/" },
      { kind: "s3-write", bucket: "acme-artifacts", prefix: "out/", region: "eu-west-1" },
      { kind: "dynamodb-read", table: "orders" },
      { kind: "dynamodb-write", table: "orders" },
      { kind: "secret-read", secret: "app/db-password" },
      { kind: "ssm-parameter-read", parameter: "/app/db-url" },
      { kind: "kms-decrypt", keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
      { kind: "logs-write", logGroup: "/aws/lambda/pr-reviewer" },
      { kind: "sqs-send", queue: "jobs" },
      { kind: "sqs-consume", queue: "jobs.fifo" },
      { kind: "sns-publish", topic: "alerts" },
      { kind: "lambda-invoke", functionName: "pr-reviewer_fn" },
      { kind: "bedrock-invoke", modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" },
      { kind: "ecr-pull", repository: "team/app-api" },
      { kind: "ecr-push", repository: "team/app-api" },
      { kind: "rds-connect", dbResourceId: "db-ABCDEFGHIJKL0123", dbUser: "iam_reader" },
    ];
    expect(examples.map((e) => [e.kind, outcome(AwsGrant, e)])).toEqual(examples.map((e) => [e.kind, OK]));
    expect(examples.map((e) => parsed(AwsGrant, e))).toEqual(examples);
    expect(parsed(AwsGrant, { kind: "s3-read", bucket: "acme-artifacts" })).toEqual({ kind: "s3-read", bucket: "acme-artifacts", prefix: "" });
    expect(parsed(AwsGrant, { kind: "s3-write", bucket: "acme-artifacts" })).toEqual({ kind: "s3-write", bucket: "acme-artifacts", prefix: "" });
  });

  step("an unknown kind names every kind of the catalogue", () => {
    const { AwsGrant } = load();
    expect(outcome(AwsGrant, { kind: "s3-admin", bucket: "b" })).toEqual(
      bad(
        ["kind"],
        "expected grant.kind to be one of s3-read, s3-write, dynamodb-read, dynamodb-write, secret-read, ssm-parameter-read, kms-decrypt, logs-write, sqs-send, sqs-consume, sns-publish, lambda-invoke, bedrock-invoke, ecr-pull, ecr-push, rds-connect",
      ),
    );
  });
});

test("AWS grants: region, bucket and prefix", () => {
  step("region: xx(-word)+-N, anchored", () => {
    grantRows("s3-read", "region", { bucket: "acme-artifacts" }, [
      ["eu-west-1", OK],
      ["us-gov-west-1", OK],
      ["ap-southeast-2", OK],
      ["Xeu-west-1", bad(["region"], REGION_MSG)],
      ["eu-west-10", bad(["region"], REGION_MSG)],
      ["e-west-1", bad(["region"], REGION_MSG)],
      ["eu-1", bad(["region"], REGION_MSG)],
      ["eu-west-x", bad(["region"], REGION_MSG)],
      ["eu-w3st-1", bad(["region"], REGION_MSG)],
      ["*", bad(["region"], REGION_MSG)],
    ]);
  });

  step("bucket: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit", () => {
    grantRows("s3-read", "bucket", {}, [
      ["acme-artifacts", OK],
      ["abc", OK],
      ["a.b-c.d", OK],
      ["a".repeat(63), OK],
      ["a".repeat(64), bad(["bucket"], BUCKET_MSG)],
      ["ab", bad(["bucket"], BUCKET_MSG)],
      ["-acme", bad(["bucket"], BUCKET_MSG)],
      ["acme-", bad(["bucket"], BUCKET_MSG)],
      ["acme-*", bad(["bucket"], BUCKET_MSG)],
      ["Acme", bad(["bucket"], BUCKET_MSG)],
    ]);
  });

  step("prefix: no '*', '?' or whitespace anywhere, no leading '/'", () => {
    for (const kind of ["s3-read", "s3-write"]) {
      grantRows(kind, "prefix", { bucket: "acme-artifacts" }, [
        ["", OK],
        ["app/", OK],
        ["reports/2026/q1-", OK],
        ["app/*", bad(["prefix"], PREFIX_MSG)],
        ["*app", bad(["prefix"], PREFIX_MSG)],
        ["a?b", bad(["prefix"], PREFIX_MSG)],
        ["a b", bad(["prefix"], PREFIX_MSG)],
        ["/app/", bad(["prefix"], PREFIX_SLASH_MSG)],
        ["/", bad(["prefix"], PREFIX_SLASH_MSG)],
        ["/a*", bad(["prefix"], PREFIX_MSG, PREFIX_SLASH_MSG)],
      ]);
    }
  });
});

test("AWS grants: resource names", () => {
  step("dynamodb table: 3-255 of letters, digits, _ . -", () => {
    const MSG = named("DynamoDB table name");
    for (const kind of ["dynamodb-read", "dynamodb-write"]) {
      grantRows(kind, "table", {}, [
        ["orders", OK],
        ["A.b_c-1", OK],
        ["abc", OK],
        ["t".repeat(255), OK],
        ["t".repeat(256), bad(["table"], MSG)],
        ["ab", bad(["table"], MSG)],
        ["*orders", bad(["table"], MSG)],
        ["orders*", bad(["table"], MSG)],
        ["", bad(["table"], tooSmallStr(1), MSG)],
      ]);
    }
  });

  step("secret name: 1-512 of letters, digits, / _ + = . @ -", () => {
    const MSG = named("Secrets Manager secret name");
    grantRows("secret-read", "secret", {}, [
      ["app/db-password", OK],
      ["a", OK],
      ["A1/_+=.@-", OK],
      ["s".repeat(512), OK],
      ["s".repeat(513), bad(["secret"], MSG)],
      ["*app", bad(["secret"], MSG)],
      ["app*", bad(["secret"], MSG)],
      ["app secret", bad(["secret"], MSG)],
      ["", bad(["secret"], tooSmallStr(1), MSG)],
    ]);
  });

  step("SSM parameter: a name or path of non-empty segments, optional leading and trailing '/', at most 1012", () => {
    const MSG = named("SSM parameter name or path, such as /app/db-url or /app/config/, without empty segments", "an");
    grantRows("ssm-parameter-read", "parameter", {}, [
      ["/app/db-url", OK],
      ["app/db-url", OK],
      ["/app/config/", OK],
      ["/app/config/db/url", OK],
      ["app", OK],
      ["a", OK],
      ["p".repeat(1012), OK],
      ["p".repeat(1013), bad(["parameter"], tooBigStr(1012))],
      ["/", bad(["parameter"], MSG)],
      ["//", bad(["parameter"], MSG)],
      ["/app//db", bad(["parameter"], MSG)],
      ["*app", bad(["parameter"], MSG)],
      ["app/db*", bad(["parameter"], MSG)],
      ["/app/*", bad(["parameter"], MSG)],
      ["", bad(["parameter"], tooSmallStr(1), MSG)],
    ]);
  });

  step("KMS key id: a lowercase UUID or mrk- and 32 hex digits, anchored", () => {
    const MSG = "expected a KMS key id (UUID or mrk-…), not an alias or '*'";
    const UUID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const MRK = "mrk-0123456789abcdef0123456789abcdef";
    grantRows("kms-decrypt", "keyId", {}, [
      [UUID, OK],
      [MRK, OK],
      [`alias/${UUID}`, bad(["keyId"], MSG)],
      [`${UUID}/x`, bad(["keyId"], MSG)],
      [`${MRK}0`, bad(["keyId"], MSG)],
      [`x${MRK}`, bad(["keyId"], MSG)],
      [UUID.toUpperCase(), bad(["keyId"], MSG)],
      ["alias/app", bad(["keyId"], MSG)],
      ["*", bad(["keyId"], MSG)],
    ]);
  });

  step("log group: 1-512 of letters, digits, _ / . # -", () => {
    const MSG = named("CloudWatch Logs log group name");
    grantRows("logs-write", "logGroup", {}, [
      ["/aws/lambda/pr-reviewer", OK],
      ["app#1", OK],
      ["l".repeat(512), OK],
      ["l".repeat(513), bad(["logGroup"], MSG)],
      ["*logs", bad(["logGroup"], MSG)],
      ["logs*", bad(["logGroup"], MSG)],
      ["", bad(["logGroup"], tooSmallStr(1), MSG)],
    ]);
  });

  step("SQS queue: 1-80 of letters, digits, _ -, optionally .fifo", () => {
    const MSG = named("SQS queue name", "an");
    for (const kind of ["sqs-send", "sqs-consume"]) {
      grantRows(kind, "queue", {}, [
        ["jobs", OK],
        ["jobs.fifo", OK],
        ["q", OK],
        ["q".repeat(80), OK],
        [`${"q".repeat(80)}.fifo`, OK],
        ["q".repeat(81), bad(["queue"], MSG)],
        ["*jobs", bad(["queue"], MSG)],
        ["jobs*", bad(["queue"], MSG)],
        ["jobs.fifo.x", bad(["queue"], MSG)],
        ["", bad(["queue"], tooSmallStr(1), MSG)],
      ]);
    }
  });

  step("SNS topic: 1-256 of letters, digits, _ -, optionally .fifo", () => {
    const MSG = named("SNS topic name", "an");
    grantRows("sns-publish", "topic", {}, [
      ["alerts", OK],
      ["alerts.fifo", OK],
      ["t".repeat(256), OK],
      [`${"t".repeat(256)}.fifo`, OK],
      ["t".repeat(257), bad(["topic"], MSG)],
      ["*alerts", bad(["topic"], MSG)],
      ["alerts*", bad(["topic"], MSG)],
      ["alerts.fifo.x", bad(["topic"], MSG)],
      ["", bad(["topic"], tooSmallStr(1), MSG)],
    ]);
  });

  step("Lambda function name: 1-64 of letters, digits, _ -", () => {
    const MSG = named("Lambda function name");
    grantRows("lambda-invoke", "functionName", {}, [
      ["pr-reviewer_fn", OK],
      ["f", OK],
      ["f".repeat(64), OK],
      ["f".repeat(65), bad(["functionName"], MSG)],
      ["*fn", bad(["functionName"], MSG)],
      ["fn*", bad(["functionName"], MSG)],
      ["arn:aws:lambda:eu-west-1:111122223333:function:fn", bad(["functionName"], MSG)],
      ["", bad(["functionName"], tooSmallStr(1), MSG)],
    ]);
  });

  step("Bedrock model id: provider.model, anchored", () => {
    const MSG = named("Bedrock foundation model id");
    grantRows("bedrock-invoke", "modelId", {}, [
      ["anthropic.claude-3-5-sonnet-20240620-v1:0", OK],
      ["amazon.titan-embed-text-v2:0", OK],
      ["a.b", OK],
      ["*anthropic.claude", bad(["modelId"], MSG)],
      ["anthropic.claude*", bad(["modelId"], MSG)],
      ["anthropic", bad(["modelId"], MSG)],
      ["Anthropic.claude", bad(["modelId"], MSG)],
      ["anthropic.*", bad(["modelId"], MSG)],
    ]);
  });

  step("ECR repository: lowercase segments joined by single . _ / -", () => {
    const MSG = named("ECR repository name", "an");
    for (const kind of ["ecr-pull", "ecr-push"]) {
      grantRows(kind, "repository", {}, [
        ["team/app-api", OK],
        ["app", OK],
        ["a.b_c", OK],
        ["team/app-api/v2", OK],
        ["-team/app", bad(["repository"], MSG)],
        ["team/app-", bad(["repository"], MSG)],
        ["team//app", bad(["repository"], MSG)],
        ["Team/app", bad(["repository"], MSG)],
        ["team/*", bad(["repository"], MSG)],
      ]);
    }
  });

  step("RDS: a db-/cluster- resource id of 10-40 uppercase letters or digits, and an IAM database user", () => {
    const { AwsGrant } = load();
    const ID_MSG = "expected the DbiResourceId (db-…) or cluster resource id (cluster-…), not the instance name";
    const USER_MSG = "expected a database user name (no wildcard)";
    const ids: [string, Outcome][] = [
      ["db-ABCDEFGHIJKL0123", OK],
      ["cluster-ABCDEFGHIJ", OK],
      [`db-${"A".repeat(40)}`, OK],
      [`db-${"A".repeat(41)}`, bad(["dbResourceId"], ID_MSG)],
      ["db-ABCDEFGHI", bad(["dbResourceId"], ID_MSG)],
      ["xdb-ABCDEFGHIJ", bad(["dbResourceId"], ID_MSG)],
      ["db-ABCDEFGHIJ-", bad(["dbResourceId"], ID_MSG)],
      ["db-abcdefghij", bad(["dbResourceId"], ID_MSG)],
      ["reporting", bad(["dbResourceId"], ID_MSG)],
    ];
    expect(rows(AwsGrant, (dbResourceId) => ({ kind: "rds-connect", dbResourceId, dbUser: "iam_reader" }), ids)).toEqual(ids);
    const users: [string, Outcome][] = [
      ["iam_reader", OK],
      ["_x", OK],
      ["u", OK],
      ["u".repeat(63), OK],
      ["u".repeat(64), bad(["dbUser"], USER_MSG)],
      ["1iam", bad(["dbUser"], USER_MSG)],
      ["iam-reader", bad(["dbUser"], USER_MSG)],
      ["*", bad(["dbUser"], USER_MSG)],
    ];
    expect(rows(AwsGrant, (dbUser) => ({ kind: "rds-connect", dbResourceId: "db-ABCDEFGHIJ", dbUser }), users)).toEqual(users);
  });
});

test("AWS raw statements and the aws section", () => {
  step("a statement parses to exactly what was written, conditions with string and list values included", () => {
    const { AwsRawStatement } = load();
    const full = {
      ...STMT,
      sid: "AllowRead1",
      conditions: { StringEquals: { "aws:SourceVpc": "vpc-1" }, "ForAnyValue:StringLike": { "s3:prefix": ["a/", "b/"] } },
    };
    expect(parsed(AwsRawStatement, STMT)).toEqual(STMT);
    expect(parsed(AwsRawStatement, full)).toEqual(full);
  });

  step("sid: alphanumeric only, anchored", () => {
    const { AwsRawStatement } = load();
    const MSG = "expected an alphanumeric Sid";
    const expected: [string, Outcome][] = [
      ["AllowRead1", OK],
      ["S", OK],
      ["-Sid", bad(["sid"], MSG)],
      ["Sid-", bad(["sid"], MSG)],
      ["Allow Read", bad(["sid"], MSG)],
    ];
    expect(rows(AwsRawStatement, (sid) => ({ ...STMT, sid }), expected)).toEqual(expected);
  });

  step("actions and resources: at least one, each non-empty; reason at least 10 characters", () => {
    const { AwsRawStatement } = load();
    expect(outcome(AwsRawStatement, { ...STMT, actions: [] })).toEqual(bad(["actions"], "expected at least one action"));
    expect(outcome(AwsRawStatement, { ...STMT, actions: [""] })).toEqual(bad(["actions", 0], tooSmallStr(1)));
    expect(outcome(AwsRawStatement, { ...STMT, resources: [] })).toEqual(bad(["resources"], "expected at least one resource ARN"));
    expect(outcome(AwsRawStatement, { ...STMT, resources: ["arn:aws:s3:::b", ""] })).toEqual(bad(["resources", 1], tooSmallStr(1)));
    expect(outcome(AwsRawStatement, { ...STMT, reason: "too short" })).toEqual(bad(["reason"], "expected a reason of at least 10 characters: why no catalogue grant fits"));
    expect(outcome(AwsRawStatement, { ...STMT, reason: "ten chars!" })).toBe(OK);
  });

  step("aws section: grants and statements default to [], accountId is exactly 12 digits", () => {
    const { AwsAccess } = load();
    expect(parsed(AwsAccess, {})).toEqual({ grants: [], statements: [] });
    expect(parsed(AwsAccess, { accountId: "111122223333", statements: [STMT] })).toEqual({ accountId: "111122223333", grants: [], statements: [STMT] });
    const expected: [string, Outcome][] = [
      ["111122223333", OK],
      ["x111122223333", bad(["accountId"], ACCOUNT_MSG)],
      ["1111222233334", bad(["accountId"], ACCOUNT_MSG)],
      ["11112222333", bad(["accountId"], ACCOUNT_MSG)],
      ["11112222333a", bad(["accountId"], ACCOUNT_MSG)],
    ];
    expect(rows(AwsAccess, (accountId) => ({ accountId }), expected)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// The assistant
// ---------------------------------------------------------------------------------------------

test("assistant", () => {
  step("a valid assistant parses with maxSessionSeconds 3600 and revoked false by default", () => {
    const { Assistant } = load();
    const a = parsed(Assistant, validAssistant());
    expect(a).toMatchObject({
      name: "pr-reviewer",
      owner: { team: "devex", contact: "devex@acme.example" },
      purpose: "Reviews pull requests and posts findings.",
      environment: "dev",
      expires: "2027-03-31",
      maxSessionSeconds: 3600,
      revoked: false,
      aws: { grants: [{ kind: "s3-read", bucket: "acme-artifacts", prefix: "app/" }], statements: [] },
    });
    expect(parsed(Assistant, validAssistant({ revoked: true })).revoked).toBe(true);
  });

  step("an unknown field is refused", () => {
    const { Assistant } = load();
    expect(outcome(Assistant, validAssistant({ owners: "x" }))).toEqual([{ path: [], message: 'Unrecognized key: "owners"' }]);
  });

  step("name: a lowercase slug of 3-32 characters", () => {
    const { Assistant } = load();
    const MSG = "expected a lowercase slug (a-z, 0-9, '-'), e.g. pr-reviewer";
    const expected: [string, Outcome][] = [
      ["pr-reviewer", OK],
      ["abc", OK],
      ["a1-b2", OK],
      ["a".repeat(32), OK],
      ["a".repeat(33), bad(["name"], tooBigStr(32))],
      ["ab", bad(["name"], tooSmallStr(3))],
      ["1pr-reviewer", bad(["name"], MSG)],
      ["pr-reviewer-", bad(["name"], MSG)],
      ["Pr-reviewer", bad(["name"], MSG)],
      ["pr_reviewer", bad(["name"], MSG)],
    ];
    expect(rows(Assistant, (name) => validAssistant({ name }), expected)).toEqual(expected);
  });

  step("owner.team: a lowercase slug of at most 63 characters; owner.contact: an email address", () => {
    const { Assistant } = load();
    const TEAM_MSG = "expected the owning team as a lowercase slug";
    const teams: [string, Outcome][] = [
      ["devex", OK],
      ["ab", OK],
      ["t".repeat(63), OK],
      ["t".repeat(64), bad(["owner", "team"], tooBigStr(63))],
      ["Devex", bad(["owner", "team"], TEAM_MSG)],
      ["1devex", bad(["owner", "team"], TEAM_MSG)],
      ["devex-", bad(["owner", "team"], TEAM_MSG)],
    ];
    expect(rows(Assistant, (team) => validAssistant({ owner: { team, contact: "devex@acme.example" } }), teams)).toEqual(teams);

    const MAIL_MSG = "expected a contact email address";
    const mails: [string, Outcome][] = [
      ["devex@acme.example", OK],
      ["Dev.Ex+ai@Acme.Example", OK],
      ["a@b.io", OK],
      ["devex", bad(["owner", "contact"], MAIL_MSG)],
      ["@devex@acme.example", bad(["owner", "contact"], MAIL_MSG)],
      ["dev ex@acme.example", bad(["owner", "contact"], MAIL_MSG)],
      ["devex@acme.example x", bad(["owner", "contact"], MAIL_MSG)],
      ["devex@acme.example1", bad(["owner", "contact"], MAIL_MSG)],
      ["devex@acme.e", bad(["owner", "contact"], MAIL_MSG)],
      ["devex@acme", bad(["owner", "contact"], MAIL_MSG)],
      ["devex@ac me.example", bad(["owner", "contact"], MAIL_MSG)],
    ];
    expect(rows(Assistant, (contact) => validAssistant({ owner: { team: "devex", contact } }), mails)).toEqual(mails);
  });

  step("purpose: 10 to 256 characters", () => {
    const { Assistant } = load();
    const expected: [string, Outcome][] = [
      ["Reviews pull requests and posts findings.", OK],
      ["p".repeat(10), OK],
      ["p".repeat(256), OK],
      ["p".repeat(257), bad(["purpose"], tooBigStr(256))],
      ["bot", bad(["purpose"], "expected a purpose of at least 10 characters that a reviewer understands")],
    ];
    expect(rows(Assistant, (purpose) => validAssistant({ purpose }), expected)).toEqual(expected);
  });

  step("environment: dev, stage or prod", () => {
    const { Assistant } = load();
    const expected: [string, Outcome][] = [
      ["dev", OK],
      ["stage", OK],
      ["prod", OK],
      ["", bad(["environment"], "expected environment to be dev, stage or prod")],
      ["production", bad(["environment"], "expected environment to be dev, stage or prod")],
    ];
    expect(rows(Assistant, (environment) => validAssistant({ environment }), expected)).toEqual(expected);
  });

  step("maxSessionSeconds: a whole number from 900 to 3600", () => {
    const { Assistant } = load();
    const expected: [number, Outcome][] = [
      [900, OK],
      [1800, OK],
      [3600, OK],
      [899, bad(["maxSessionSeconds"], "expected at least 900 seconds (STS minimum)")],
      [3601, bad(["maxSessionSeconds"], "expected at most 3600 seconds: assistants get short sessions (ask for a policy exception to go longer)")],
      [1800.5, bad(["maxSessionSeconds"], "Invalid input: expected int, received number")],
    ];
    expect(rows(Assistant, (maxSessionSeconds) => validAssistant({ maxSessionSeconds }), expected)).toEqual(expected);
    expect(parsed(Assistant, validAssistant({ maxSessionSeconds: 1800 })).maxSessionSeconds).toBe(1800);
  });
});

// ---------------------------------------------------------------------------------------------
// The platform and the stack spec
// ---------------------------------------------------------------------------------------------

test("platform", () => {
  step("an empty platform gets namePrefix 'ai' and an empty audit section", () => {
    const { Platform } = load();
    expect(parsed(Platform, {})).toEqual({ namePrefix: "ai", audit: {} });
  });

  step("namePrefix: a lowercase letter then up to 7 of a-z 0-9", () => {
    const { Platform } = load();
    const MSG = "expected a short lowercase prefix (1-8 of a-z, 0-9)";
    const expected: [string, Outcome][] = [
      ["ai", OK],
      ["a", OK],
      ["acme", OK],
      ["abcdefg8", OK],
      ["abcdefghi", bad(["namePrefix"], MSG)],
      ["1ai", bad(["namePrefix"], MSG)],
      ["ai-x", bad(["namePrefix"], MSG)],
      ["Ai", bad(["namePrefix"], MSG)],
    ];
    expect(rows(Platform, (namePrefix) => ({ namePrefix }), expected)).toEqual(expected);
  });

  step("aws: partition defaults to aws, existingOidcProviders to {}; all three partitions accepted", () => {
    const { Platform } = load();
    const aws = { accountId: "111122223333", region: "eu-west-1" };
    expect(parsed(Platform, { aws }).aws).toEqual({ ...aws, partition: "aws", existingOidcProviders: {} });
    const expected: [string, Outcome][] = [
      ["aws", OK],
      ["aws-us-gov", OK],
      ["aws-cn", OK],
      ["", bad(["aws", "partition"], 'Invalid option: expected one of "aws"|"aws-us-gov"|"aws-cn"')],
    ];
    expect(rows(Platform, (partition) => ({ aws: { ...aws, partition } }), expected)).toEqual(expected);
    expect(parsed(Platform, { aws: { ...aws, partition: "aws-cn" } }).aws.partition).toBe("aws-cn");
  });

  step("aws.accountId is exactly 12 digits; aws.region is an AWS region", () => {
    const { Platform } = load();
    const accounts: [string, Outcome][] = [
      ["111122223333", OK],
      ["x111122223333", bad(["aws", "accountId"], ACCOUNT_MSG)],
      ["1111222233334", bad(["aws", "accountId"], ACCOUNT_MSG)],
      ["1111", bad(["aws", "accountId"], ACCOUNT_MSG)],
      ["aaaabbbbcccc", bad(["aws", "accountId"], ACCOUNT_MSG)],
    ];
    expect(rows(Platform, (accountId) => ({ aws: { accountId, region: "eu-west-1" } }), accounts)).toEqual(accounts);
    expect(outcome(Platform, { aws: { accountId: "111122223333", region: "europe" } })).toEqual(bad(["aws", "region"], REGION_MSG));
  });

  step("aws.existingOidcProviders: issuer URL → OIDC provider ARN of any partition, anchored, no wildcard", () => {
    const { Platform } = load();
    const MSG = "expected an OIDC provider ARN";
    const ISS = "https://token.actions.githubusercontent.com";
    const wrap = (arn: string) => ({ aws: { accountId: "111122223333", region: "eu-west-1", existingOidcProviders: { [ISS]: arn } } });
    const P = ["aws", "existingOidcProviders", ISS];
    const expected: [string, Outcome][] = [
      [ARN, OK],
      ["arn:aws-us-gov:iam::111122223333:oidc-provider/gitlab.com", OK],
      ["arn:aws-cn:iam::111122223333:oidc-provider/x", OK],
      [`x${ARN}`, bad(P, MSG)],
      [`${ARN} x`, bad(P, MSG)],
      [`${ARN}*`, bad(P, MSG)],
      ["arn:aws:iam::111122223333:oidc-provider/*", bad(P, MSG)],
      ["arn:aws:iam::111122223333:oidc-provider/", bad(P, MSG)],
      ["arn:aws:iam::1111:oidc-provider/x", bad(P, MSG)],
      ["arn:aws1:iam::111122223333:oidc-provider/x", bad(P, MSG)],
    ];
    expect(rows(Platform, wrap, expected)).toEqual(expected);
    expect(parsed(Platform, wrap(ARN)).aws.existingOidcProviders).toEqual({ [ISS]: ARN });
  });
});

test("stack spec", () => {
  step("a valid spec parses; a missing platform defaults to namePrefix 'ai' and an empty audit section", () => {
    const { StackSpec } = load();
    const spec = parsed(StackSpec, validSpec());
    expect(spec.platform.namePrefix).toBe("ai");
    expect(spec.assistants.map((a: { name: string }) => a.name)).toEqual(["pr-reviewer"]);
    expect(parsed(StackSpec, { assistants: [validAssistant()] }).platform).toEqual({ namePrefix: "ai", audit: {} });
  });

  step("assistants: at least one (several accepted)", () => {
    const { StackSpec } = load();
    expect(outcome(StackSpec, validSpec([]))).toEqual(bad(["assistants"], "expected at least one assistant"));
    expect(outcome(StackSpec, validSpec([validAssistant(), validAssistant({ name: "second-bot" })]))).toBe(OK);
    expect(outcome(StackSpec, { ...validSpec(), extra: 1 })).toEqual([{ path: [], message: 'Unrecognized key: "extra"' }]);
  });
});
