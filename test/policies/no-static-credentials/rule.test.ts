/**
 * Pins the exact observable behaviour of policies/rules/no-static-credentials.ts that the fixtures
 * (which check keys and paths only) leave loose: each finding kind's full message / path / value /
 * fix / key, and the engine message built from it; how a GCP service account key is described
 * (uploaded public key vs Google-generated, by a non-empty string publicKeyData); the deploy key's
 * reported value; and that a GitHub secret without a string secretName is out of scope (no finding,
 * no error).
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";

const NOW = new Date("2026-11-15T12:00:00Z");
const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile";
const SA_KEY = "gcp:serviceaccount/key:Key";
const DEPLOY_KEY = "github:index/repositoryDeployKey:RepositoryDeployKey";
const ACTIONS_SECRET = "github:index/actionsSecret:ActionsSecret";
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;

const pack = policies.filter((p) => p.name === "no-static-credentials");

/** The rule's violations: who, level, outcome and the structured finding. */
async function check(resources: InputResource[]) {
  const vs = await runPolicies(pack, resources, { now: NOW });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (type: string, name: string, finding: Record<string, unknown>) => ({
  urn: urnOf(type, name),
  enforcementLevel: "mandatory",
  outcome: "finding",
  finding,
});

const DESCRIPTION =
  "Flags AWS access keys and console passwords, GCP service account keys, writable GitHub deploy keys, and GitHub " +
  "Actions/Dependabot/Codespaces secrets whose names carry cloud key material.";
const WHY =
  "Why it matters: A static key never expires, is copied into CI logs, caches and forks, and works from anywhere; a workload " +
  "(an AI assistant most of all) should federate with short-lived OIDC tokens instead.";
const STANDARDS =
  "Standards: OWASP NHI7 Long-Lived Secrets; OWASP NHI2 Secret Leakage; OWASP NHI6 Insecure Cloud Deployment Configurations; " +
  "OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; NIST CSF PR.AA-01.";

const ACCESS_KEY_FIX = "delete the aws.iam.AccessKey and let the workload assume a role through OIDC (AssumeRoleWithWebIdentity)";
const LOGIN_PROFILE_FIX = "delete the aws.iam.UserLoginProfile; humans sign in through IAM Identity Center, workloads federate";
const SA_KEY_FIX =
  "delete the gcp.serviceaccount.Key and use Workload Identity Federation (roles/iam.workloadIdentityUser on the service account); " +
  "enforce iam.managed.disableServiceAccountKeyCreation";
const DEPLOY_KEY_FIX = "set readOnly: true, or push with a GitHub App installation token (1 hour) instead of an SSH key";
const CI_SECRET_FIX =
  "federate the workflow with OIDC (aws-actions/configure-aws-credentials role-to-assume, google-github-actions/auth " +
  "workload_identity_provider, azure/login client-id with federated credentials) and delete the secret";

const SA = "ai-bot@proj.iam.gserviceaccount.com";
/** The expected gcp-service-account-key finding; `kind` is the literal key description of the message. */
const saKeyFinding = (kind: string) => ({
  message: `must not create a service account key; got ${kind} for "${SA}"`,
  value: SA,
  fix: SA_KEY_FIX,
  key: "gcp-service-account-key",
});

describe("AWS static credentials: exact findings", () => {
  test("an access key: aws-access-key naming the user, with its fix", async () => {
    expect(await check([{ type: ACCESS_KEY, name: "ci-key", props: { user: "ai-bot" } }])).toStrictEqual([
      found(ACCESS_KEY, "ci-key", {
        message: 'must not create a long-lived IAM access key; got an access key for user "ai-bot"',
        value: "ai-bot",
        fix: ACCESS_KEY_FIX,
        key: "aws-access-key",
      }),
    ]);
  });

  test("an access key: the full engine message (description, location, why, fix, key, standards)", async () => {
    const vs = await runPolicies(pack, [{ type: ACCESS_KEY, name: "ci-key", props: { user: "ai-bot" } }], { now: NOW });
    expect(vs.map((v) => v.message)).toEqual([
      `${DESCRIPTION}\naws:iam/accessKey:AccessKey 'ci-key': must not create a long-lived IAM access key; got an access key for user "ai-bot". ` +
        `${WHY} Fix: ${ACCESS_KEY_FIX}. Finding key: aws-access-key. ${STANDARDS}`,
    ]);
  });

  test("a login profile: aws-console-password naming the user, with its fix", async () => {
    expect(await check([{ type: LOGIN_PROFILE, name: "ci-login", props: { user: "ai-bot" } }])).toStrictEqual([
      found(LOGIN_PROFILE, "ci-login", {
        message: 'must not give a workload identity a console password; got a login profile for user "ai-bot"',
        value: "ai-bot",
        fix: LOGIN_PROFILE_FIX,
        key: "aws-console-password",
      }),
    ]);
  });
});

describe("GCP service account key: uploaded vs Google-generated", () => {
  test("no publicKeyData: a Google-generated key", async () => {
    expect(await check([{ type: SA_KEY, name: "k", props: { serviceAccountId: SA } }])).toStrictEqual([
      found(SA_KEY, "k", saKeyFinding("a Google-generated key")),
    ]);
  });

  test("an empty publicKeyData string: still a Google-generated key", async () => {
    expect(await check([{ type: SA_KEY, name: "k", props: { serviceAccountId: SA, publicKeyData: "" } }])).toStrictEqual([
      found(SA_KEY, "k", saKeyFinding("a Google-generated key")),
    ]);
  });

  test("a non-empty publicKeyData string: an uploaded public key", async () => {
    expect(await check([{ type: SA_KEY, name: "k", props: { serviceAccountId: SA, publicKeyData: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" } }])).toStrictEqual([
      found(SA_KEY, "k", saKeyFinding("an uploaded public key")),
    ]);
  });

  test("a one-character publicKeyData string: an uploaded public key (length > 0 is the boundary)", async () => {
    expect(await check([{ type: SA_KEY, name: "k", props: { serviceAccountId: SA, publicKeyData: "x" } }])).toStrictEqual([
      found(SA_KEY, "k", saKeyFinding("an uploaded public key")),
    ]);
  });
});

// Defect found by the mutation review: values read only for the message went through the engine's
// unknown-checking proxy, so a key for a service account created in the same stack (serviceAccountId
// unknown at preview) became an "unknown" outcome: an exception for the key no longer matched it, and
// `unknownValues: advisory` downgraded a certain static key.
describe("preview: a value shown only in the message does not make a certain finding unknown", () => {
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const previewKey = (name: string, props: Record<string, unknown> = {}): InputResource => ({ type: SA_KEY, name, props: { serviceAccountId: UNKNOWN, ...props } });
  const previewFinding = (kind: string) => ({
    message: `must not create a service account key; got ${kind} for (unknown at preview)`,
    value: undefined,
    fix: SA_KEY_FIX,
    key: "gcp-service-account-key",
  });

  test("a key for a service account created in the same stack is a mandatory finding, not an unknown", async () => {
    expect(await check([previewKey("k")])).toStrictEqual([found(SA_KEY, "k", previewFinding("a Google-generated key"))]);
    // publicKeyData from another resource's output is unknown too: only an uploaded key sets it.
    expect(await check([previewKey("u", { publicKeyData: UNKNOWN })])).toStrictEqual([found(SA_KEY, "u", previewFinding("an uploaded public key"))]);
  });

  test("unknownValues: advisory does not downgrade it", async () => {
    const vs = await runPolicies(pack, [previewKey("k")], { now: NOW, config: { "no-static-credentials": { unknownValues: "advisory" } } });
    expect(vs.map((v) => [v.enforcementLevel, v.outcome, v.finding?.key])).toStrictEqual([["mandatory", "finding", "gcp-service-account-key"]]);
  });

  test("an exception for the key still applies", async () => {
    const config = { "no-static-credentials": { exceptions: [{ name: "k", key: "gcp-service-account-key", owner: "platform", reason: "legacy exporter, federating in Q1", expires: "2027-03-31" }] } };
    expect(await runPolicies(pack, [previewKey("k")], { now: NOW, config })).toStrictEqual([]);
  });

  test("an access key or login profile for a user created in the same stack is a finding too", async () => {
    expect((await check([{ type: ACCESS_KEY, name: "ak", props: { user: UNKNOWN } }, { type: LOGIN_PROFILE, name: "lp", props: { user: UNKNOWN } }])).map((v) => [v.outcome, v.finding?.message])).toStrictEqual([
      ["finding", "must not create a long-lived IAM access key; got an access key for user (unknown at preview)"],
      ["finding", "must not give a workload identity a console password; got a login profile for user (unknown at preview)"],
    ]);
  });
});

describe("GitHub deploy key", () => {
  test("readOnly: false: writable-deploy-key at readOnly with value false, naming title and repository", async () => {
    expect(await check([{ type: DEPLOY_KEY, name: "rw", props: { repository: "app", title: "bot push", key: "ssh-ed25519 AAAA", readOnly: false } }])).toStrictEqual([
      found(DEPLOY_KEY, "rw", {
        message: 'must be read-only; got readOnly: false on deploy key "bot push" for "app"',
        path: "readOnly",
        value: false,
        fix: DEPLOY_KEY_FIX,
        key: "writable-deploy-key",
      }),
    ]);
  });

  test("readOnly: false: the full engine message names the path", async () => {
    const vs = await runPolicies(pack, [{ type: DEPLOY_KEY, name: "rw", props: { repository: "app", title: "bot push", key: "ssh-ed25519 AAAA", readOnly: false } }], { now: NOW });
    expect(vs.map((v) => v.message)).toEqual([
      `${DESCRIPTION}\ngithub:index/repositoryDeployKey:RepositoryDeployKey 'rw' at readOnly: must be read-only; got readOnly: false on deploy key "bot push" for "app". ` +
        `${WHY} Fix: ${DEPLOY_KEY_FIX}. Finding key: writable-deploy-key. ${STANDARDS}`,
    ]);
  });
});

describe("GitHub secrets", () => {
  test("a cloud key name: ci-secret:<name> at secretName, naming the matching pattern, with its fix", async () => {
    expect(await check([{ type: ACTIONS_SECRET, name: "aws", props: { repository: "app", secretName: "AWS_SECRET_ACCESS_KEY" } }])).toStrictEqual([
      found(ACTIONS_SECRET, "aws", {
        message: 'must not store cloud key material as a GitHub secret; got secret "AWS_SECRET_ACCESS_KEY" (matches *AWS_SECRET_ACCESS_KEY*)',
        path: "secretName",
        value: "AWS_SECRET_ACCESS_KEY",
        fix: CI_SECRET_FIX,
        key: "ci-secret:AWS_SECRET_ACCESS_KEY",
      }),
    ]);
  });

  test("no secretName: out of scope, no violation", async () => {
    expect(await check([{ type: ACTIONS_SECRET, name: "nameless", props: { repository: "app" } }])).toStrictEqual([]);
  });

  test("a non-string secretName: out of scope, no violation and no error", async () => {
    expect(await check([{ type: ACTIONS_SECRET, name: "numeric", props: { repository: "app", secretName: 42 } }])).toStrictEqual([]);
  });
});
