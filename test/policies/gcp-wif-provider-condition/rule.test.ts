/**
 * Pins the exact behaviour of policies/rules/gcp-wif-provider-condition.ts that the fixtures (which
 * check keys and paths only) left loose: each finding kind's full message/path/value/fix/key, the
 * sorted claim lists in messages, which claim reads count (`assertion.x`, `assertion['x']`, mapped
 * `attribute.`/`google.` names, trimmed mappings), which literals count, how `==` (both sides), `in`,
 * `startsWith` and `?:` are judged, which values narrow each claim (sub shapes, repository,
 * project_path, owner, ids; exact vs prefix), and that claims in non-pinning parts are still named.
 */
import rule from "../../../policies/rules/gcp-wif-provider-condition";
import { policies } from "../../../policies/list";
import { runPolicies } from "../../../policies/harness";
import type { Finding } from "../../../core/findings";

const TYPE = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";
const GITHUB = "https://token.actions.githubusercontent.com";
const MAPPING = {
  "google.subject": "assertion.sub",
  "attribute.repository_id": "assertion.repository_id",
  "attribute.repository_owner_id": "assertion.repository_owner_id",
  "attribute.environment": "assertion.environment",
};
const DEFAULT_CONFIG = {
  pinClaims: ["repository_id", "repository_owner_id", "repository", "repository_owner", "sub", "project_id", "namespace_id", "project_path", "namespace_path"],
  requireImmutableIds: false,
  immutableIdClaims: ["repository_id", "repository_owner_id", "project_id", "namespace_id"],
  exceptions: [],
  unknownValues: "fail",
};

const PIN_FIX = "AND the condition with assertion.repository_owner_id == '<OWNER_ID>' (and assertion.repository_id == '<REPO_ID>')";

/** Calls the rule's check directly on one provider. */
function checkProps(props: Record<string, unknown>, config: Partial<typeof DEFAULT_CONFIG> = {}): Finding[] {
  const ctx = {
    config: { ...DEFAULT_CONFIG, ...config },
    now: new Date("2026-11-15T12:00:00Z"),
    guard: <T>(_r: unknown, fn: () => T) => fn(),
    peek: <T>(fn: () => T) => fn(),
    type: TYPE,
    name: "p",
    urn: `urn:pulumi:stack::project::${TYPE}::p`,
  };
  const resource = { type: TYPE, name: "p", urn: ctx.urn, props, dependencies: [], propertyDependencies: {} };
  return rule.checkResource(resource, ctx as unknown as Parameters<typeof rule.checkResource>[1]);
}

/** A GitHub OIDC provider with `cond` as its attribute condition. */
const check = (cond: string, mapping: Record<string, string> = MAPPING, config: Partial<typeof DEFAULT_CONFIG> = {}) =>
  checkProps({ attributeMapping: mapping, oidc: { issuerUri: GITHUB }, attributeCondition: cond }, config);

/** The expected "unpinned-condition" finding; `got` is the literal claims part of the message. */
const unpinned = (cond: string, got: string): Finding[] => [
  {
    message: `must pin the repository or owner on every branch; got ${got} without a narrowing repository/owner pin: ${cond}`,
    path: "attributeCondition",
    value: cond,
    fix: PIN_FIX,
    key: "unpinned-condition",
  },
];

/** The expected "author-controlled-only" finding; `claims` is the literal claim list of the message. */
const authorOnly = (cond: string, claims: string): Finding[] => [
  {
    message: `must pin the repository or owner; got a condition on author-controlled claims only (${claims}): ${cond}`,
    path: "attributeCondition",
    value: cond,
    fix: PIN_FIX,
    key: "author-controlled-only",
  },
];

describe("findings: exact message, path, value, fix and key per kind", () => {
  test("a provider without oidc, or with oidc null, is out of scope", () => {
    expect(checkProps({ aws: { accountId: "123456789012" } })).toEqual([]);
    expect(checkProps({ oidc: null, attributeCondition: "" })).toEqual([]);
  });

  test("no attributeCondition: no-condition naming the issuer", () => {
    expect(checkProps({ oidc: { issuerUri: GITHUB } })).toStrictEqual([
      {
        message: "must have an attributeCondition that pins the repository or owner; got none (issuer https://token.actions.githubusercontent.com)",
        path: "attributeCondition",
        fix: "set attributeCondition: \"assertion.repository_owner_id == '<OWNER_ID>' && assertion.repository_id == '<REPO_ID>'\"",
        key: "no-condition",
      },
    ]);
  });

  test("a whitespace-only attributeCondition is no condition (not a parse error)", () => {
    expect(checkProps({ oidc: { issuerUri: "https://gitlab.example.com" }, attributeCondition: " \t\n " })).toStrictEqual([
      {
        message: "must have an attributeCondition that pins the repository or owner; got none (issuer https://gitlab.example.com)",
        path: "attributeCondition",
        fix: "set attributeCondition: \"assertion.repository_owner_id == '<OWNER_ID>' && assertion.repository_id == '<REPO_ID>'\"",
        key: "no-condition",
      },
    ]);
  });

  test("an unparseable condition: condition-unparseable with the first line of the CEL error", () => {
    const cond = "assertion.repository_id == ";
    expect(check(cond)).toStrictEqual([
      {
        message: "must be a valid CEL expression; got a parse error: Unexpected token: EOF",
        path: "attributeCondition",
        value: cond,
        fix: "fix the CEL syntax (GCP rejects it too)",
        key: "condition-unparseable",
      },
    ]);
  });

  test("author-controlled claims only: the claims sorted and comma-separated", () => {
    const cond = "assertion.workflow == 'deploy' && assertion.environment == 'prod'";
    expect(check(cond)).toStrictEqual([
      {
        message: "must pin the repository or owner; got a condition on author-controlled claims only (environment, workflow): assertion.workflow == 'deploy' && assertion.environment == 'prod'",
        path: "attributeCondition",
        value: cond,
        fix: "AND the condition with assertion.repository_owner_id == '<OWNER_ID>' (and assertion.repository_id == '<REPO_ID>')",
        key: "author-controlled-only",
      },
    ]);
  });

  test("an OR branch without a pin: unpinned-condition with the claims sorted and comma-separated", () => {
    const cond = "assertion.repository_owner_id == '1342004' || assertion.environment == 'prod'";
    expect(check(cond)).toStrictEqual([
      {
        message:
          "must pin the repository or owner on every branch; got claims environment, repository_owner_id without a narrowing repository/owner pin: assertion.repository_owner_id == '1342004' || assertion.environment == 'prod'",
        path: "attributeCondition",
        value: cond,
        fix: "AND the condition with assertion.repository_owner_id == '<OWNER_ID>' (and assertion.repository_id == '<REPO_ID>')",
        key: "unpinned-condition",
      },
    ]);
  });

  test("a condition reading no claim at all: unpinned-condition saying 'no claim' (not author-controlled-only)", () => {
    expect(check("'a' == 'a'")).toStrictEqual([
      {
        message: "must pin the repository or owner on every branch; got no claim without a narrowing repository/owner pin: 'a' == 'a'",
        path: "attributeCondition",
        value: "'a' == 'a'",
        fix: "AND the condition with assertion.repository_owner_id == '<OWNER_ID>' (and assertion.repository_id == '<REPO_ID>')",
        key: "unpinned-condition",
      },
    ]);
    expect(check("true")).toStrictEqual(unpinned("true", "no claim"));
  });

  test("requireImmutableIds: name-based pins listed sorted, with the configured id claims", () => {
    const cond = "assertion.repository_owner == 'acme' && assertion.repository == 'acme/app'";
    expect(check(cond, MAPPING, { requireImmutableIds: true })).toStrictEqual([
      {
        message:
          "must pin an immutable id (repository_id, repository_owner_id, project_id, namespace_id); got a name-based pin on repository, repository_owner: assertion.repository_owner == 'acme' && assertion.repository == 'acme/app'",
        path: "attributeCondition",
        value: cond,
        fix: "pin assertion.repository_owner_id / assertion.repository_id: names can be renamed and re-registered by someone else",
        key: "name-based-pin",
      },
    ]);
  });

  test("requireImmutableIds: one id pin among name pins is enough", () => {
    expect(check("assertion.repository == 'acme/app' && assertion.repository_owner_id == '1342004'", MAPPING, { requireImmutableIds: true })).toEqual([]);
  });

  test("through the harness: a mandatory violation carrying the same finding", async () => {
    const cond = "assertion.ref == 'refs/heads/main'";
    const vs = await runPolicies(policies, [{ type: TYPE, name: "p", props: { attributeMapping: MAPPING, oidc: { issuerUri: GITHUB }, attributeCondition: cond } }]);
    const mine = vs.filter((v) => v.ruleId === "gcp-wif-provider-condition");
    expect(mine.map((v) => [v.enforcementLevel, v.finding])).toStrictEqual([["mandatory", authorOnly(cond, "ref")[0]]]);
  });
});

describe("which expressions read a claim", () => {
  test("assertion['x'] reads claim x like assertion.x", () => {
    expect(check("assertion['repository_id'] == '98765'")).toEqual([]);
  });

  test("assertion[ident] (an index that is not a literal) reads no claim", () => {
    const cond = "assertion[repository_id] == '98765'";
    expect(check(cond)).toStrictEqual(unpinned(cond, "no claim"));
  });

  test("a field of a string literal named 'assertion' reads no claim", () => {
    const cond = "'assertion'.repository_id == '98765'";
    expect(check(cond)).toStrictEqual(unpinned(cond, "no claim"));
  });

  test("attribute[ident] does not look up an attribute named 'undefined'", () => {
    const cond = "attribute[x] == '98765'";
    expect(check(cond, { "attribute.undefined": "assertion.repository_id" })).toStrictEqual(unpinned(cond, "no claim"));
  });

  test("only attribute.* and google.* names resolve through the mapping", () => {
    const cond = "claims.repository_id == '98765'";
    expect(check(cond, { "claims.repository_id": "assertion.repository_id" })).toStrictEqual(unpinned(cond, "no claim"));
    expect(check("attribute.rid == '98765'", { "attribute.rid": "assertion.repository_id" })).toEqual([]);
  });

  test("a mapping with surrounding whitespace still maps the claim", () => {
    expect(check("attribute.rid == '98765'", { "attribute.rid": "  assertion.repository_id\n" })).toEqual([]);
  });

  test("a mapping that is an expression over a claim (not the bare claim) maps no claim", () => {
    const cond = "attribute.has_repo == 'true'";
    expect(check(cond, { "attribute.has_repo": "assertion.repository_id != ''" })).toStrictEqual(unpinned(cond, "no claim"));
    expect(check(cond, { "attribute.has_repo": "'' != assertion.repository_id" })).toStrictEqual(unpinned(cond, "no claim"));
  });
});

describe("which operands are literals", () => {
  test("comparing a pin claim with an identifier does not pin", () => {
    const cond = "assertion.repository_id == allowed_id";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id"));
  });

  test("comparing a pin claim with a number does not pin", () => {
    const cond = "assertion.repository_id == 98765";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id"));
  });
});

describe("==: either side may be the claim", () => {
  test("literal == claim pins like claim == literal", () => {
    expect(check("'98765' == assertion.repository_id")).toEqual([]);
  });

  test("== with no bare claim on either side still names the claims inside", () => {
    const cond = "assertion.ref.lowerAscii() == 'refs/heads/main'";
    expect(check(cond)).toStrictEqual(authorOnly(cond, "ref"));
  });
});

describe("in", () => {
  test("claim in a list of exact ids pins (exact, not prefix, matching)", () => {
    expect(check("assertion.repository_id in ['98765', '98766']")).toEqual([]);
  });

  test("every list element must narrow", () => {
    const cond = "assertion.repository in ['acme/app', 'acme']";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("a non-literal list element does not pin", () => {
    const cond = "assertion.repository in ['acme/app', other]";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("claim in an identifier does not pin", () => {
    const cond = "assertion.repository_id in allowed_ids";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id"));
  });

  test("literal in [claim] does not pin, but names the claim", () => {
    const cond = "'acme/app' in [assertion.repository]";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("claim in a list expression that is not a list literal does not pin, and names the claims inside it", () => {
    const cond = "assertion.repository_id in ['98765'] + [assertion.workflow]";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id, workflow"));
  });
});

describe("method calls: only one-argument startsWith is a (prefix) pin", () => {
  test("endsWith does not pin, even with a full repository name", () => {
    const cond = "assertion.repository.endsWith('acme/app')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("startsWith with two arguments does not pin", () => {
    const cond = "assertion.repository.startsWith('acme/', 'x')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("a call that does not pin still names its claims", () => {
    const cond = "assertion.ref.endsWith('/main')";
    expect(check(cond)).toStrictEqual(authorOnly(cond, "ref"));
  });

  test("startsWith is judged as a prefix: an owner-name prefix does not pin", () => {
    const cond = "assertion.repository_owner.startsWith('acme')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_owner"));
  });
});

describe("?: pins only if both branches pin", () => {
  test("both branches pin", () => {
    expect(check("assertion.ref == 'refs/heads/main' ? assertion.repository_id == '1' : assertion.repository_id == '2'")).toEqual([]);
  });

  test("one branch does not pin; the condition's claims are named too", () => {
    const cond = "assertion.environment == 'prod' ? assertion.repository_id == '98765' : true";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims environment, repository_id"));
  });
});

describe("claims inside other operators are named", () => {
  test("!= names its claim", () => {
    const cond = "assertion.environment != 'prod'";
    expect(check(cond)).toStrictEqual(authorOnly(cond, "environment"));
  });

  test("a null literal next to a claim is skipped", () => {
    const cond = "assertion.environment != null";
    expect(check(cond)).toStrictEqual(authorOnly(cond, "environment"));
  });
});

describe("narrowing values: sub", () => {
  test.each([
    "repo:acme/",
    "project_path:group/",
    "system:serviceaccount:prod:deployer",
    "spiffe://td.example/ns",
  ])("startsWith(%p) pins", (prefix) => {
    expect(check(`assertion.sub.startsWith('${prefix}')`)).toEqual([]);
  });

  test.each([
    "repo:acme",
    "acme",
    "xrepo:acme/",
    "xproject_path:group/",
    "xsystem:serviceaccount:prod:deployer",
    "xspiffe://td.example/ns",
  ])("startsWith(%p) does not pin", (prefix) => {
    const cond = `assertion.sub.startsWith('${prefix}')`;
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims sub"));
  });

  test.each(["custom:subject", "xrepo:acme", "repo:/x", "repo:acme/app:ref:refs/heads/main"])("== %p pins", (value) => {
    expect(check(`assertion.sub == '${value}'`)).toEqual([]);
  });

  test.each(["", "repo:acme"])("== %p does not pin", (value) => {
    const cond = `assertion.sub == '${value}'`;
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims sub"));
  });

  test("google.subject mapped to sub is judged as sub", () => {
    const cond = "google.subject == 'repo:acme'";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims sub"));
    expect(check("google.subject.startsWith('repo:acme/')")).toEqual([]);
  });
});

describe("narrowing values: repository and project_path", () => {
  test("repository == an owner name (no slash) does not pin", () => {
    const cond = "assertion.repository == 'acme'";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("repository.startsWith must start with the owner and a slash", () => {
    const cond = "assertion.repository.startsWith('/acme/')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository"));
  });

  test("project_path.startsWith('group/') pins like a repository prefix", () => {
    expect(check("assertion.project_path.startsWith('group/')")).toEqual([]);
  });
});

describe("narrowing values: owner names and ids (exact, non-empty only)", () => {
  test("an empty owner name does not pin", () => {
    const cond = "assertion.repository_owner == ''";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_owner"));
  });

  test("namespace_path: exact pins, prefix does not", () => {
    expect(check("assertion.namespace_path == 'group'")).toEqual([]);
    const cond = "assertion.namespace_path.startsWith('group')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims namespace_path"));
  });

  test("an empty id does not pin", () => {
    const cond = "assertion.repository_id == ''";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id"));
  });

  test("an id prefix does not pin", () => {
    const cond = "assertion.repository_id.startsWith('98')";
    expect(check(cond)).toStrictEqual(unpinned(cond, "claims repository_id"));
  });
});
