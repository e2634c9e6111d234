/**
 * Pins the exact behaviour of policies/rules/no-shared-identity.ts that the fixtures (which check
 * keys and paths only) left loose: how `subjectInfo` maps GitHub / GitLab / Kubernetes / other
 * subjects to a workload and environment (anchors, case, `@id` suffixes, line breaks), how GCP
 * principals and principal sets map to workloads or environments, each finding kind's full
 * message/path/value/fix/key with its level and outcome, the `toolkit` scope, which resources and
 * which GCP roles are read (IAMMember / IAMBinding / IAMPolicy `policyData` bindings), and that
 * unrecognised members neither count nor break the look-up of the second workload/environment.
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";
import { subjectInfo } from "../../../policies/rules/no-shared-identity";

const NOW = new Date("2026-11-15T12:00:00Z");
const ROLE = "aws:iam/role:Role";
const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const SA_BINDING = "gcp:serviceaccount/iAMBinding:IAMBinding";
const SA_POLICY = "gcp:serviceaccount/iAMPolicy:IAMPolicy";
const WIF_USER = "roles/iam.workloadIdentityUser";
const SA = "projects/p/serviceAccounts/ai@p.iam.gserviceaccount.com";
const POOL = "iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ai";
const SUB_KEY = "token.actions.githubusercontent.com:sub";
/** Path of the j-th of several `sub` values in the first statement. */
const subPath = (j: number) => `Statement[0].Condition.StringEquals["${SUB_KEY}"][${j}]`;
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

const pack = policies.filter((p) => p.name === "no-shared-identity");

/** The rule's violations through the harness: who, level, outcome and the structured finding. */
async function check(resources: InputResource[], config?: Record<string, unknown>) {
  const vs = await runPolicies(pack, resources, { now: NOW, config: config ? { "no-shared-identity": config } : undefined });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (urn: string, finding: Record<string, unknown>) => ({ urn, enforcementLevel: "mandatory", outcome: "finding", finding });

/** An AWS role trusting GitHub OIDC `subs` (StringEquals on the sub claim). */
const role = (name: string, subs: string[], tags?: Record<string, string>, type = ROLE): InputResource => ({
  type,
  name,
  props: {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [SUB_KEY]: subs } },
        },
      ],
    }),
    ...(tags ? { tags } : {}),
  },
});
const member = (name: string, m: string, r = WIF_USER, sa = SA, type = SA_MEMBER): InputResource => ({ type, name, props: { serviceAccountId: sa, role: r, member: m } });
const binding = (name: string, members: string[], r = WIF_USER): InputResource => ({ type: SA_BINDING, name, props: { serviceAccountId: SA, role: r, members } });
const saPolicy = (name: string, policyData: unknown): InputResource => ({ type: SA_POLICY, name, props: { serviceAccountId: SA, policyData } });
const principal = (sub: string) => `principal://${POOL}/subject/${sub}`;
const principalSet = (attr: string, v: string) => `principalSet://${POOL}/attribute.${attr}/${v}`;

const ROLE_WORKLOADS_FIX = "split the role: one role per assistant/workload, each trusting only its own subject";
const ROLE_ENVS_FIX = "create one role per environment, each trusting repo:ORG/REPO:environment:<that environment> only";
const SA_WORKLOADS_FIX = "create one service account per assistant/workload";
const SA_ENVS_FIX = "create one service account per environment";
/** The service-account-shared-by-workloads finding for SA. */
const saShared = (workloads: string[], path: string) => ({
  message: `must let one workload act as service account ${SA}; got ${workloads.length}: ${workloads.join(", ")}`,
  path,
  value: workloads,
  fix: SA_WORKLOADS_FIX,
  key: "service-account-shared-by-workloads",
});

describe("subjectInfo: GitHub subjects", () => {
  test("owner/repo lower-cased, @id suffixes dropped, URL-encoded environment decoded", () => {
    expect(subjectInfo("repo:Acme@123/App@456:environment:prod%2Feu")).toStrictEqual({ workload: "github:acme/app", environment: "prod/eu" });
  });

  test("a bare repo:OWNER/REPO subject is the repository, without environment", () => {
    expect(subjectInfo("repo:acme/app")).toStrictEqual({ workload: "github:acme/app" });
  });

  test("a branch subject names the repository but no environment", () => {
    expect(subjectInfo("repo:acme/app:ref:refs/heads/main")).toStrictEqual({ workload: "github:acme/app" });
  });

  test("only a claim part that starts with environment: names an environment", () => {
    expect(subjectInfo("repo:acme/app:ref:environment:prod")).toStrictEqual({ workload: "github:acme/app" });
  });

  test.each([
    // "repo:" must start the subject.
    "xrepo:acme/app:environment:prod",
    "xrepo:acme/app",
    // A line break after the claim part: neither GitHub form matches the whole value.
    "repo:acme/app:ref:refs/heads/main\nrepo:acme/other",
  ])("%j is not a GitHub subject: kept verbatim as its own workload", (sub) => {
    expect(subjectInfo(sub)).toStrictEqual({ workload: sub });
  });
});

describe("subjectInfo: GitLab, Kubernetes and other subjects", () => {
  test("project_path:GROUP/PROJECT:… is the lower-cased GitLab project", () => {
    expect(subjectInfo("project_path:Grp/Proj:ref_type:branch:ref:main")).toStrictEqual({ workload: "gitlab:grp/proj" });
  });

  test("project_path:GROUP/PROJECT at the end of the subject is the project too", () => {
    expect(subjectInfo("project_path:grp/proj")).toStrictEqual({ workload: "gitlab:grp/proj" });
  });

  test("system:serviceaccount:NS:NAME is the Kubernetes service account", () => {
    expect(subjectInfo("system:serviceaccount:ai:claude")).toStrictEqual({ workload: "k8s:ai/claude" });
  });

  test.each([
    "xproject_path:grp/proj:ref_type:branch",
    "xsystem:serviceaccount:ai:claude",
    "system:serviceaccount:ai:claude:extra",
    "spiffe://acme.org/ns/ai/sa/claude",
  ])("%j is kept verbatim as its own workload", (sub) => {
    expect(subjectInfo(sub)).toStrictEqual({ workload: sub });
  });
});

describe("AWS roles: one role, several workloads or environments", () => {
  test("two repositories: role-shared-by-workloads naming both, at the second subject", async () => {
    const r = role("shared", ["repo:acme/app:environment:prod", "repo:acme/other:environment:prod"]);
    expect(await check([r])).toStrictEqual([
      found(urnOf(ROLE, "shared"), {
        message: "must be assumable by one workload; got 2: github:acme/app, github:acme/other",
        path: subPath(1),
        value: ["github:acme/app", "github:acme/other"],
        fix: ROLE_WORKLOADS_FIX,
        key: "role-shared-by-workloads",
      }),
    ]);
  });

  test("two environments of one repository: role-spans-environments naming both, at the second subject", async () => {
    const r = role("multi-env", ["repo:acme/app:environment:prod", "repo:acme/app:environment:dev"]);
    expect(await check([r])).toStrictEqual([
      found(urnOf(ROLE, "multi-env"), {
        message: "must serve one environment; got subjects for prod, dev",
        path: subPath(1),
        value: ["prod", "dev"],
        fix: ROLE_ENVS_FIX,
        key: "role-spans-environments",
      }),
    ]);
  });

  test("a branch subject next to one environment subject is still one environment", async () => {
    expect(await check([role("main-and-prod", ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod"])])).toStrictEqual([]);
  });

  test("a resource of another type is not read, even with an assumeRolePolicy prop", async () => {
    const r = role("not-a-role", ["repo:acme/app:environment:prod", "repo:acme/other:environment:dev"], undefined, "aws:iam/instanceProfile:InstanceProfile");
    expect(await check([r])).toStrictEqual([]);
  });

  test("scope toolkit: only roles tagged managed-by=assistant-identities are checked", async () => {
    const subs = ["repo:acme/app:environment:prod", "repo:acme/other:environment:prod"];
    const resources = [role("managed", subs, { "managed-by": "assistant-identities" }), role("unmanaged", subs, { "managed-by": "someone-else" }), role("untagged", subs)];
    expect(await check(resources, { scope: "toolkit" })).toStrictEqual([
      found(urnOf(ROLE, "managed"), {
        message: "must be assumable by one workload; got 2: github:acme/app, github:acme/other",
        path: subPath(1),
        value: ["github:acme/app", "github:acme/other"],
        fix: ROLE_WORKLOADS_FIX,
        key: "role-shared-by-workloads",
      }),
    ]);
  });
});

describe("AWS roles: one subject trusted by roles of different environments or assistants", () => {
  test("each tagged role gets the finding per tag; an untagged role is named but not flagged", async () => {
    const sub = "repo:acme/app:ref:refs/heads/main";
    const resources = [
      role("a", [sub], { "ai-environment": "prod", "ai-assistant": "claude" }),
      role("b", [sub], { "ai-environment": "dev", "ai-assistant": "codex" }),
      role("c", [sub]),
    ];
    const across = (name: string, tag: string, values: string, key: string, per: string) =>
      found(urnOf(ROLE, name), {
        message: `must not share subject "repo:acme/app:ref:refs/heads/main" with roles of another ${tag}; got ${tag} values ${values} across a, b, c`,
        path: `tags["${tag}"]`,
        value: sub,
        fix: `give each ${tag} its own subject (e.g. a GitHub environment per ${per}) and trust only that subject`,
        key: `${key}:repo:acme/app:ref:refs/heads/main`,
      });
    expect(await check(resources)).toStrictEqual([
      across("a", "ai-environment", "prod, dev", "subject-across-environments", "environment"),
      across("b", "ai-environment", "prod, dev", "subject-across-environments", "environment"),
      across("a", "ai-assistant", "claude, codex", "subject-across-assistants", "assistant"),
      across("b", "ai-assistant", "claude, codex", "subject-across-assistants", "assistant"),
    ]);
  });
});

describe("GCP service accounts: which members are which workload or environment", () => {
  test("attribute.repository (lower-cased), attribute.repository_id and other attributes are workloads; an unrecognised member before them is skipped", async () => {
    const b = binding("shared-sa", [principalSet("repository", "Acme/App"), "group:admins@acme.com", principalSet("repository_id", "111"), principalSet("repository_owner", "acme")]);
    expect(await check([b])).toStrictEqual([
      found(urnOf(SA_BINDING, "shared-sa"), saShared(["github:acme/app", "github-id:111", "repository_owner=acme"], "members[2]")),
    ]);
  });

  test("attribute.environment principals are environments: service-account-spans-environments at the second; an unrecognised member between is skipped", async () => {
    const resources = [member("env-prod", principalSet("environment", "prod")), member("admins", "group:admins@acme.com"), member("env-dev", principalSet("environment", "dev"))];
    expect(await check(resources)).toStrictEqual([
      found(urnOf(SA_MEMBER, "env-dev"), {
        message: `must serve one environment; got principals of prod, dev on service account ${SA}`,
        path: "member",
        value: ["prod", "dev"],
        fix: SA_ENVS_FIX,
        key: "service-account-spans-environments",
      }),
    ]);
  });

  test("serviceAccount: members are workloads; user: members are not", async () => {
    const b = binding("sa-chain", ["serviceAccount:ci@p.iam.gserviceaccount.com", "user:dev@acme.com", "serviceAccount:bot@p.iam.gserviceaccount.com"]);
    expect(await check([b])).toStrictEqual([
      found(urnOf(SA_BINDING, "sa-chain"), saShared(["serviceAccount:ci@p.iam.gserviceaccount.com", "serviceAccount:bot@p.iam.gserviceaccount.com"], "members[2]")),
    ]);
  });

  test.each([
    // The principal / principalSet forms must start the member …
    `x${principal("repo:acme/other:environment:dev")}`,
    `x${principalSet("repository", "acme/other")}`,
    // … and span all of it (no line break).
    `${principal("repo:acme/other:environment:dev")}\nx`,
    `${principalSet("repository", "acme/other")}\nx`,
  ])("%j is not a recognised principal: it adds no second workload or environment", async (odd) => {
    expect(await check([binding("one", [principal("repo:acme/app:environment:prod"), odd])])).toStrictEqual([]);
  });
});

describe("GCP service accounts: which grants are read", () => {
  test("an IAMMember with a non-impersonation role does not count", async () => {
    const resources = [member("wif", principalSet("repository", "acme/app")), member("admin", "serviceAccount:admin@p.iam.gserviceaccount.com", "roles/iam.serviceAccountAdmin")];
    expect(await check(resources)).toStrictEqual([]);
  });

  test("a project-level IAMMember granting workloadIdentityUser is not a service-account grant", async () => {
    const type = "gcp:projects/iAMMember:IAMMember";
    const resources = [
      { type, name: "proj-app", props: { project: "p", role: WIF_USER, member: principalSet("repository", "acme/app") } },
      { type, name: "proj-other", props: { project: "p", role: WIF_USER, member: principalSet("repository", "acme/other") } },
    ];
    expect(await check(resources)).toStrictEqual([]);
  });

  test("IAMPolicy policyData: only impersonation bindings count, each member at policyData.bindings[i].members[j]", async () => {
    const policyData = JSON.stringify({
      bindings: [
        { role: "roles/iam.serviceAccountAdmin", members: ["serviceAccount:admin@p.iam.gserviceaccount.com"] },
        { role: WIF_USER, members: [principalSet("repository", "acme/app"), principalSet("repository", "acme/other")] },
        { role: "roles/iam.serviceAccountTokenCreator" },
        { members: ["serviceAccount:norole@p.iam.gserviceaccount.com"] },
      ],
    });
    expect(await check([saPolicy("sa-policy", policyData)])).toStrictEqual([
      found(urnOf(SA_POLICY, "sa-policy"), saShared(["github:acme/app", "github:acme/other"], "policyData.bindings[1].members[1]")),
    ]);
  });

  test.each([
    ["empty", ""],
    ["without bindings", "{}"],
  ])("IAMPolicy policyData %s: nothing to check, no error", async (_label, policyData) => {
    expect(await check([saPolicy("sa-policy", policyData)])).toStrictEqual([]);
  });
});
