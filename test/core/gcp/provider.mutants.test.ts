/**
 * Pins the exact observable behaviour of core/gcp/provider.ts and core/gcp/cel.ts that the broader
 * GCP tests left loose: GcpSpecError's name and full messages (wildcard pins per source kind, a
 * GitHub source without any pin, wildcard subjects, principal/principalSet refusals), the
 * attribute mapping of generic OIDC sources, attributeCondition's single-clause form and its
 * inclusive 4096-character limit, isBroadMember's anchoring and the group/attribute forms it
 * judges broad, celString's control-character escapes, the first line of a parse error, and the
 * empty defaults of evaluateIamCondition's resource fields.
 */
import { assertParses, celString, evaluateIamCondition } from "../../../core/gcp/cel";
import { attributeCondition, attributeMapping, conditionClause, GcpSpecError, googleSubject, defaultServiceAccountMember, isBroadMember, kubernetesScopeMember, principal, principalSet } from "../../../core/gcp/provider";
import { gh, gitlab, oidc, spiffe } from "./fixtures";

/** The error `fn` throws (fails the test when it returns). */
function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to throw");
}

/** Asserts a GcpSpecError with exactly this message. */
function expectSpecError(fn: () => unknown, message: string): void {
  const e = caught(fn);
  expect(e).toBeInstanceOf(GcpSpecError);
  expect(e.name).toBe("GcpSpecError");
  expect(e.message).toBe(message);
}

const wildcardMessage = (what: string, value: string) =>
  `a GCP identity needs an exact ${what}; got ${JSON.stringify(value)} (a GCP principal names one subject: pin an exact ${what} or leave the gcp section out)`;

const POOL = "principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod";
const AT = new Date("2026-06-01T00:00:00Z");

describe("GcpSpecError", () => {
  test("is named GcpSpecError and keeps its message", () => {
    const e = new GcpSpecError("boom");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("GcpSpecError");
    expect(e.message).toBe("boom");
    expect(String(e)).toBe("GcpSpecError: boom");
  });
});

describe("attributeMapping: sources that map only the subject", () => {
  test("generic OIDC maps google.subject to the sub and nothing else", () => {
    expect(attributeMapping("oidc")).toStrictEqual({ "google.subject": "assertion.sub" });
  });
  test("SPIFFE maps google.subject to the sub and nothing else", () => {
    expect(attributeMapping("spiffe")).toStrictEqual({ "google.subject": "assertion.sub" });
  });
});

describe("conditionClause: wildcard pins are refused with a message naming the pin", () => {
  test("a GitHub tag pin with a wildcard", () => {
    expectSpecError(() => conditionClause(gh({ environment: undefined, tag: "v1.*", allowSubjectWildcard: true })), wildcardMessage("tag", "v1.*"));
  });
  test("a GitHub environment pin with a wildcard", () => {
    expectSpecError(() => conditionClause(gh({ environment: "prod-*", allowSubjectWildcard: true })), wildcardMessage("environment", "prod-*"));
  });
  test("a GitLab ref with a wildcard", () => {
    expectSpecError(() => conditionClause(gitlab({ ref: "release-*", allowSubjectWildcard: true })), wildcardMessage("ref", "release-*"));
  });
  test("a SPIFFE ID with a wildcard", () => {
    expectSpecError(
      () => conditionClause(spiffe({ spiffeId: "spiffe://example.org/ns/agents/sa/*", allowSubjectWildcard: true })),
      wildcardMessage("SPIFFE ID", "spiffe://example.org/ns/agents/sa/*"),
    );
  });
  test("an OIDC subject with a wildcard", () => {
    expectSpecError(() => conditionClause(oidc({ subject: "agent-?", allowSubjectWildcard: true })), wildcardMessage("subject", "agent-?"));
  });
});

describe("conditionClause: a GitHub Actions source without any pin", () => {
  test("is refused: the condition would admit every workflow of the repository", () => {
    expectSpecError(
      () => conditionClause(gh({ environment: undefined })),
      "a GitHub Actions source needs one of environment, branch or tag for GCP (the condition would admit every workflow of the repository)",
    );
  });
  test("is refused even with a workflow pin", () => {
    expectSpecError(
      () => conditionClause(gh({ environment: undefined, workflowRef: "acme/shared/.github/workflows/assistant.yml@refs/heads/main" })),
      "a GitHub Actions source needs one of environment, branch or tag for GCP (the condition would admit every workflow of the repository)",
    );
  });
});

describe("attributeCondition", () => {
  test("one clause (after de-duplication) is returned as is, without parentheses", () => {
    expect(attributeCondition(["assertion.sub == 'a'"])).toBe("assertion.sub == 'a'");
    expect(attributeCondition(["assertion.sub == 'a'", "assertion.sub == 'a'"])).toBe("assertion.sub == 'a'");
  });
  test("several clauses are each parenthesised and ORed", () => {
    expect(attributeCondition(["assertion.sub == 'a'", "assertion.sub == 'b'", "assertion.sub == 'a'"])).toBe("(assertion.sub == 'a') || (assertion.sub == 'b')");
  });
  test("exactly 4096 characters is accepted; 4097 is refused with the count", () => {
    // `assertion.sub == '` (18) + value + `'` (1)
    const at4096 = `assertion.sub == '${"x".repeat(4096 - 19)}'`;
    expect(at4096).toHaveLength(4096);
    expect(attributeCondition([at4096])).toBe(at4096);
    const at4097 = `assertion.sub == '${"x".repeat(4097 - 19)}'`;
    expectSpecError(
      () => attributeCondition([at4097]),
      "the attributeCondition must be at most 4096 characters; got 4097 for 1 assistants (set platform.gcp.providerShards to spread this issuer's assistants over more providers, or split them over more stacks)",
    );
  });
});

describe("googleSubject", () => {
  test("a subject pattern is refused with the pattern in the message", () => {
    expectSpecError(() => googleSubject(oidc({ subject: "agent-*", allowSubjectWildcard: true })), 'a GCP principal names one exact subject; got the pattern "agent-*"');
  });
  test("an exact subject is returned as is", () => {
    expect(googleSubject(oidc())).toBe("agent-7");
  });
});

describe("principal and principalSet refusals", () => {
  test("principal refuses an empty subject", () => {
    expectSpecError(() => principal("1", "ai-prod", ""), 'a principal needs an exact subject; got ""');
  });
  test("principal refuses the subject *", () => {
    expectSpecError(() => principal("1", "ai-prod", "*"), 'a principal needs an exact subject; got "*"');
  });
  test("principalSet names the narrow attributes, comma-separated, when refusing another", () => {
    expectSpecError(
      () => principalSet("1", "ai-prod", "environment", "prod"),
      "a principalSet must name one of the attributes repository_id, job_workflow_ref, service_account_name; got attribute.environment",
    );
  });
  test("principalSet refuses an empty value", () => {
    expectSpecError(() => principalSet("1", "ai-prod", "repository_id", ""), 'a principalSet needs an exact attribute value; got ""');
  });
  test("principalSet refuses a wildcard value", () => {
    expectSpecError(() => principalSet("1", "ai-prod", "job_workflow_ref", "acme/x/.github/workflows/*"), 'a principalSet needs an exact attribute value; got "acme/x/.github/workflows/*"');
  });
});

describe("isBroadMember", () => {
  test.each<[string, string, boolean]>([
    ["a principalSet over any value of an attribute", `${POOL}/attribute.repository_id/*`, true],
    ["a principalSet over an empty attribute value", `${POOL}/attribute.repository_id/`, true],
    ["a principalSet over any value of a one-letter attribute", `${POOL}/attribute.x/*`, true],
    ["a principalSet over any group", `${POOL}/group/*`, true],
    ["a principalSet over an empty group", `${POOL}/group/`, true],
    ["the whole pool", `${POOL}/*`, true],
    ["a principalSet naming one repository id", `${POOL}/attribute.repository_id/2002`, false],
    ["a principalSet naming one group", `${POOL}/group/reviewers`, false],
    // A principal:// names one subject, whatever the subject's text looks like.
    [
      "a principal whose subject reads like a group principalSet",
      "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod/subject/principalSet://evil/group/",
      false,
    ],
    [
      "a principal whose subject reads like a whole-pool principalSet",
      "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ai-prod/subject/principalSet://iam.googleapis.com/x/workloadIdentityPools/q/*",
      false,
    ],
  ])("%s: %s → %p", (_name, member, expected) => {
    expect(isBroadMember(member)).toBe(expected);
  });
});

describe("celString: control characters", () => {
  test.each<[string, string, string]>([
    ["a space stays a space", " ", "' '"],
    ["the last C0 control (0x1f) is escaped", "\x1f", "'\\x1f'"],
    ["NUL is escaped", "\x00", "'\\x00'"],
    ["DEL (0x7f) is escaped", "a\x7fb", "'a\\x7fb'"],
    ["tilde (0x7e) stays", "~", "'~'"],
  ])("%s", (_name, value, literal) => {
    expect(celString(value)).toBe(literal);
  });
});

describe("assertParses", () => {
  test("the error keeps only the first line of the parser's message, then the condition", () => {
    const e = caught(() => assertParses("assertion.sub == "));
    expect(e.message).toBe("the CEL condition does not parse: Unexpected token: EOF; got assertion.sub == ");
  });
});

describe("evaluateIamCondition: resource fields", () => {
  test("a missing name, type or service is the empty string", () => {
    expect(evaluateIamCondition("resource.name == ''", AT)).toStrictEqual({ admitted: true });
    expect(evaluateIamCondition("resource.type == ''", AT)).toStrictEqual({ admitted: true });
    expect(evaluateIamCondition("resource.service == ''", AT)).toStrictEqual({ admitted: true });
  });
  test("a given name, type and service are passed through", () => {
    const resource = { name: "projects/_/buckets/acme-reports/objects/weekly/a.csv", type: "storage.googleapis.com/Object", service: "storage.googleapis.com" };
    expect(
      evaluateIamCondition(
        "resource.name == 'projects/_/buckets/acme-reports/objects/weekly/a.csv' && resource.type == 'storage.googleapis.com/Object' && resource.service == 'storage.googleapis.com'",
        AT,
        resource,
      ),
    ).toStrictEqual({ admitted: true });
  });
});

describe("isWholePool / isBroadMember: one definition of a whole pool for the core and the rule", () => {
  test("a whole workload identity pool and a whole workforce pool are broad; one subject of either is not", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isWholePool, isBroadMember } = require("../../../core/gcp/provider") as typeof import("../../../core/gcp/provider");
    const workload = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/*";
    const workforce = "principalSet://iam.googleapis.com/locations/global/workforcePools/staff/*";
    expect([isWholePool(workload), isBroadMember(workload)]).toEqual([true, true]);
    expect([isWholePool(workforce), isBroadMember(workforce)]).toEqual([true, true]);
    expect(isWholePool("principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice")).toBe(false);
    expect(isBroadMember("principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice")).toBe(false);
    expect(isWholePool("principalSet://iam.googleapis.com/locations/global/workforcePools/staff/group/eng")).toBe(false);
  });
});

describe("Kubernetes members are read whole: anchored at both ends", () => {
  const POOL = "projects/123456/locations/global/workloadIdentityPools";
  test("defaultServiceAccountMember: the exact forms name their namespace; the same text with anything before or after names none", () => {
    const cases: Array<[string, string | undefined]> = [
      ["serviceAccount:acme.svc.id.goog[agents/default]", "agents"],
      ["xserviceAccount:acme.svc.id.goog[agents/default]", undefined],
      ["serviceAccount:acme.svc.id.goog[agents/default]x", undefined],
      [`principal://iam.googleapis.com/${POOL}/acme.svc.id.goog/subject/ns/agents/sa/default`, "agents"],
      [`xprincipal://iam.googleapis.com/${POOL}/acme.svc.id.goog/subject/ns/agents/sa/default`, undefined],
      [`principal://iam.googleapis.com/${POOL}/acme.svc.id.goog/subject/xns/agents/sa/default`, undefined],
      [`principal://iam.googleapis.com/${POOL}/acme.svc.id.goog/subject/ns/agents/sa/default/extra`, undefined],
      [`principal://iam.googleapis.com/${POOL}/ci-pool/subject/system:serviceaccount:agents:default`, "agents"],
    ];
    expect(cases.map(([m]) => [m, defaultServiceAccountMember(m)])).toEqual(cases);
  });

  test("kubernetesScopeMember: a namespace or cluster principal set only when the whole member is one", () => {
    const ns = `principalSet://iam.googleapis.com/${POOL}/acme.svc.id.goog/namespace/agents`;
    expect(kubernetesScopeMember(ns)).toEqual({ scope: "namespace", value: "agents" });
    expect(kubernetesScopeMember(`x${ns}`)).toBeUndefined();
    expect(kubernetesScopeMember(`principalSet://iam.googleapis.com/${POOL}/acme.svc.id.goog/kubernetes.cluster/https://container.googleapis.com/v1/projects/p/locations/l/clusters/c`)).toEqual({
      scope: "cluster",
      value: "https://container.googleapis.com/v1/projects/p/locations/l/clusters/c",
    });
  });
});
