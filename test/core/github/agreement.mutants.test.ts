/**
 * Pins the exact observable behaviour of core/github/agreement.ts that agreement.test.ts leaves
 * loose: AgreementError's name and message, awsGlobMatch's escaping and newline handling, the
 * deployment-branch pattern syntax, subject-template list comparison, notes, the "GitHub cannot
 * render" and "source yields no subject" problems, the spec/subject disagreement problem, and
 * which side (and which fix) each AWS and GCP problem blames, with full messages, paths and keys.
 */
import { AgreementError, assertAgreement, awsGlobMatch, checkAgreement, type AgreementInput } from "../../../core/github/agreement";
import { GithubAccess } from "../../../core/spec/github";
import { gh } from "../gcp/fixtures";

const github = (o: Record<string, unknown>) => GithubAccess.parse(o);
const only = (i: AgreementInput, path: string) => checkAgreement(i).problems.filter((p) => p.path === path);

const SUB = "repo:acme/payments-api:environment:prod";
const POOL = "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod";
const TEMPLATE_ENV = ["repository_owner_id", "repository_id", "environment"];
const TEMPLATE_REF = ["repository_owner_id", "repository_id", "ref"];
const TEMPLATE_SUB = "repository_owner_id:1001:repository_id:2002:environment:prod";
/** The condition conditionClause builds for gh(): owner, repository and environment prod. */
const COND_PROD = "assertion.repository_owner_id == '1001' && assertion.repository_id == '2002' && assertion.environment == 'prod'";
const COND_OTHER_REPO = "assertion.repository_owner_id == '1001' && assertion.repository_id == '9' && assertion.environment == 'prod'";

const AWS_REBUILD = "rebuild the AWS trust policy from the assistant's source (core/oidc/subjects.ts awsFederation)";
const AWS_FOLLOWS = "fix the spec as reported above: AWS trust follows the source";
const GCP_REBUILD = "rebuild the condition from the assistant's source and github environment (core/gcp conditionClause)";
const GCP_FOLLOWS = "fix the spec as reported above: the condition follows the source";
const PRINCIPAL_BIND = "bind principal://…/subject/<the issued sub> (core/gcp principal)";
const PRINCIPAL_FOLLOWS = "fix the spec as reported above: the principal follows the source";

/** The stack manages a subject template the source does not describe: the spec disagrees with what GitHub issues. */
const templateMismatch = (): AgreementInput => ({ source: gh(), github: github({ subjectTemplate: { includeClaimKeys: TEMPLATE_ENV } }) });
const TEMPLATE_PROBLEM = {
  side: "spec",
  message:
    'source.subjectClaims (what AWS trust and the GCP principal are built from) must equal github.subjectTemplate.includeClaimKeys (what GitHub will render); got null and ["repository_owner_id","repository_id","environment"]',
  path: "source.subjectClaims",
  value: undefined,
  fix: 'set source.subjectClaims to ["repository_owner_id","repository_id","environment"]',
  key: "Agreement::template",
};

/**
 * The template lists ref but the source pins no branch (the source yields no subject), and the
 * managed environment is named differently: GitHub issues environment production.
 */
const noSpecSubject = (extra: Partial<AgreementInput> = {}): AgreementInput => ({
  source: gh({ subjectClaims: TEMPLATE_REF }),
  github: github({ environment: { name: "production", branches: "protected" }, subjectTemplate: { includeClaimKeys: TEMPLATE_REF } }),
  gcp: { attributeCondition: COND_PROD },
  ...extra,
});

describe("AgreementError and assertAgreement", () => {
  test("the error is named AgreementError and lists one '[side] message (fix: …)' line per problem", () => {
    const i: AgreementInput = { source: gh(), aws: { trustedSubjects: ["repo:acme/other:environment:prod"] }, gcp: { attributeCondition: COND_PROD, principal: `${POOL}/subject/repo:acme/other:environment:prod` } };
    let err: unknown;
    try {
      assertAgreement(i);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgreementError);
    expect((err as AgreementError).name).toBe("AgreementError");
    expect((err as AgreementError).message).toBe(
      [
        `[aws] AWS must trust the subject GitHub will issue, "${SUB}"; it trusts ["repo:acme/other:environment:prod"] (fix: ${AWS_REBUILD})`,
        `[gcp] the GCP principal must name the subject GitHub will issue, "${SUB}"; got "${POOL}/subject/repo:acme/other:environment:prod" (fix: ${PRINCIPAL_BIND})`,
      ].join("\n"),
    );
    expect((err as AgreementError).problems.map((p) => p.key)).toEqual(["Agreement::aws-sub", "Agreement::gcp-principal"]);
  });
});

describe("awsGlobMatch", () => {
  test("a '.' in the pattern is a literal dot", () => {
    expect(awsGlobMatch("repo:acme/x.y", "repo:acme/x.y")).toBe(true);
    expect(awsGlobMatch("repo:acme/x.y", "repo:acme/xzy")).toBe(false);
  });
  test("'*' also runs across a newline", () => {
    expect(awsGlobMatch("repo:acme/*", "repo:acme/x\ny")).toBe(true);
  });
});

describe("deployment branch patterns (github.environment.branches)", () => {
  const withBranches = (branch: string, branches: string[]) =>
    checkAgreement({ source: gh({ branch }), github: github({ environment: { name: "prod", branches } }) }).problems;

  test("a branch the environment does not allow: full problem", () => {
    expect(withBranches("feature", ["main", "release/*"])).toStrictEqual([
      {
        side: "spec",
        message: 'source.branch must be allowed to deploy to environment prod; got "feature" and branches ["main","release/*"]',
        path: "github.environment.branches",
        value: ["main", "release/*"],
        fix: 'add "feature" to github.environment.branches or pin an allowed branch',
        key: "Agreement::branch",
      },
    ]);
  });
  test("a '.' in a branch pattern is a literal dot", () => {
    expect(withBranches("release.1", ["release.1"])).toEqual([]);
    expect(withBranches("releasex1", ["release.1"]).map((p) => p.key)).toEqual(["Agreement::branch"]);
  });
  test("'**' crosses '/', '*' does not", () => {
    expect(withBranches("release/a/b", ["release/**"])).toEqual([]);
    expect(withBranches("release/a/b", ["release/*"]).map((p) => p.key)).toEqual(["Agreement::branch"]);
  });
  test("'?' stands for exactly one character", () => {
    expect(withBranches("v1", ["v?"])).toEqual([]);
    expect(withBranches("v", ["v?"]).map((p) => p.key)).toEqual(["Agreement::branch"]);
  });
});

describe("source.environment against the managed environment", () => {
  test("another environment name: full problem", () => {
    expect(only({ source: gh(), github: github({ environment: { name: "production", branches: "protected" } }) }, "source.environment")).toStrictEqual([
      {
        side: "spec",
        message:
          'source.environment must equal github.environment.name (the environment the stack creates, which GitHub puts in the token); got "prod" and "production"',
        path: "source.environment",
        value: "prod",
        fix: 'set source.environment to "production"',
        key: "Agreement::environment",
      },
    ]);
  });
});

describe("source.subjectClaims against the managed template", () => {
  test("lists of the same length that differ in one key are a template problem, with both lists in the message", () => {
    const src = gh({ subjectClaims: TEMPLATE_ENV });
    const i = { source: src, github: github({ subjectTemplate: { includeClaimKeys: ["repository_owner_id", "repository_id", "context"] } }) };
    expect(only(i, "source.subjectClaims")).toStrictEqual([
      {
        side: "spec",
        message:
          'source.subjectClaims (what AWS trust and the GCP principal are built from) must equal github.subjectTemplate.includeClaimKeys (what GitHub will render); got ["repository_owner_id","repository_id","environment"] and ["repository_owner_id","repository_id","context"]',
        path: "source.subjectClaims",
        value: TEMPLATE_ENV,
        fix: 'set source.subjectClaims to ["repository_owner_id","repository_id","context"]',
        key: "Agreement::template",
      },
    ]);
  });

  test("a managed template the source does not describe: one spec problem only, not also a subject disagreement", () => {
    const r = checkAgreement(templateMismatch());
    expect(r).toStrictEqual({ ok: false, issuedSubject: TEMPLATE_SUB, claims: expect.any(Object), problems: [TEMPLATE_PROBLEM], notes: [] });
  });
});

describe("notes", () => {
  const NOTE =
    'source.subjectClaims is set but the stack manages no subject template: the repository acme/payments-api (or its organisation) must already use use_default false with include_claim_keys ["repository_owner_id","repository_id","environment"]';

  test("subjectClaims without a github section: the template must already exist on the repository", () => {
    const r = checkAgreement({ source: gh({ subjectClaims: TEMPLATE_ENV }) });
    expect(r).toStrictEqual({ ok: true, issuedSubject: TEMPLATE_SUB, claims: expect.any(Object), problems: [], notes: [NOTE] });
  });
  test("subjectClaims with a github section that manages no template: same note", () => {
    expect(checkAgreement({ source: gh({ subjectClaims: TEMPLATE_ENV }), github: github({ environment: { name: "prod", branches: "protected" } }) }).notes).toEqual([NOTE]);
  });
  test("no note when the stack manages the template", () => {
    expect(checkAgreement({ source: gh({ subjectClaims: TEMPLATE_ENV }), github: github({ subjectTemplate: { includeClaimKeys: TEMPLATE_ENV } }) }).notes).toEqual([]);
  });
  test("no note without subjectClaims, with or without a github section", () => {
    expect(checkAgreement({ source: gh() })).toStrictEqual({ ok: true, issuedSubject: SUB, claims: expect.any(Object), problems: [], notes: [] });
    expect(checkAgreement({ source: gh(), github: github({ environment: { name: "prod", branches: "protected" } }) }).notes).toEqual([]);
  });
});

describe("GitHub cannot render, or the source yields no subject", () => {
  test("the managed template lists environment but the job has none: github problem and an early result without a subject", () => {
    const r = checkAgreement({
      source: gh({ environment: undefined, branch: "main", subjectClaims: TEMPLATE_ENV }),
      github: github({ subjectTemplate: { includeClaimKeys: TEMPLATE_ENV } }),
      aws: { trustedSubjects: ["anything"] },
      gcp: { attributeCondition: "false" },
    });
    expect(r).toStrictEqual({
      ok: false,
      problems: [
        {
          side: "github",
          message:
            "GitHub must be able to render a subject for this job; the subject template lists environment, but the token has no environment claim (the job must use the environment)",
          path: "github.subjectTemplate",
          fix: "pin the claims the template lists (e.g. source.branch for ref) or drop them from the template",
        },
      ],
      notes: [],
    });
  });

  test("the template lists ref but the source pins no branch: spec problem at source", () => {
    const r = checkAgreement({ source: gh({ subjectClaims: TEMPLATE_REF }), github: github({ subjectTemplate: { includeClaimKeys: TEMPLATE_REF } }) });
    expect(r.problems).toStrictEqual([
      { side: "spec", message: "the source must yield one exact subject; subject claim ref has no value in the spec", path: "source", fix: "pin the claims the subject template lists" },
    ]);
    expect(r.issuedSubject).toBe("repository_owner_id:1001:repository_id:2002:ref:refs/heads/main");
  });
});

describe("the source's subject against the one GitHub issues", () => {
  test("a ':' in job_workflow_ref is %3A in GitHub's subject but not in the spec's: subject disagreement problem", () => {
    const wf = "acme/shared/.github/workflows/a.yml@refs/heads/fe:at";
    const keys = ["repository_owner_id", "repository_id", "job_workflow_ref"];
    const r = checkAgreement({ source: gh({ workflowRef: wf, subjectClaims: keys }), github: github({ subjectTemplate: { includeClaimKeys: keys } }) });
    const specSub = `repository_owner_id:1001:repository_id:2002:job_workflow_ref:${wf}`;
    const issued = "repository_owner_id:1001:repository_id:2002:job_workflow_ref:acme/shared/.github/workflows/a.yml@refs/heads/fe%3Aat";
    expect(r.issuedSubject).toBe(issued);
    expect(r.problems).toStrictEqual([
      {
        side: "spec",
        message: `the source's subject must be the one GitHub will issue; got "${specSub}" from the source and "${issued}" from GitHub (subject form classic)`,
        path: "source",
        value: specSub,
        fix: "make source.subjectForm, environment, branch/tag and subjectClaims describe the repository as GitHub has it",
      },
    ]);
  });
});

describe("AWS", () => {
  test("trust built from a spec that disagrees with GitHub: blamed on the spec", () => {
    expect(only({ ...templateMismatch(), aws: { trustedSubjects: [SUB] } }, "aws.trust.sub")).toStrictEqual([
      {
        side: "spec",
        message: `AWS must trust the subject GitHub will issue, "${TEMPLATE_SUB}"; it trusts ["${SUB}"]`,
        path: "aws.trust.sub",
        value: [SUB],
        fix: AWS_FOLLOWS,
        key: "Agreement::aws-sub",
      },
    ]);
  });

  test("trust for neither the spec's nor GitHub's subject: blamed on aws even when the spec disagrees", () => {
    const other = "repo:acme/other:environment:prod";
    expect(only({ ...templateMismatch(), aws: { trustedSubjects: [other] } }, "aws.trust.sub")).toStrictEqual([
      {
        side: "aws",
        message: `AWS must trust the subject GitHub will issue, "${TEMPLATE_SUB}"; it trusts ["${other}"]`,
        path: "aws.trust.sub",
        value: [other],
        fix: AWS_REBUILD,
        key: "Agreement::aws-sub",
      },
    ]);
  });

  test("a source that yields no subject is never what AWS trust follows", () => {
    const r = checkAgreement({ ...noSpecSubject(), gcp: undefined, aws: { trustedSubjects: ["u*"], subjectIsPattern: true } });
    expect(r.problems.filter((p) => p.path === "aws.trust.sub").map((p) => [p.side, p.fix])).toEqual([["aws", AWS_REBUILD]]);
  });

  test("a pattern is only a pattern when subjectIsPattern is true", () => {
    const pattern = "repo:acme/payments-api:environment:*";
    expect(only({ source: gh(), aws: { trustedSubjects: [pattern] } }, "aws.trust.sub").map((p) => p.side)).toEqual(["aws"]);
    expect(only({ source: gh(), aws: { trustedSubjects: [pattern], subjectIsPattern: false } }, "aws.trust.sub").map((p) => p.side)).toEqual(["aws"]);
  });

  test("with subjectIsPattern, patterns that do not cover the subject are still a problem", () => {
    expect(only({ source: gh(), aws: { trustedSubjects: ["repo:acme/other:*"], subjectIsPattern: true } }, "aws.trust.sub").map((p) => p.key)).toEqual(["Agreement::aws-sub"]);
  });

  test("one covering pattern among several is enough, with a note", () => {
    const r = checkAgreement({ source: gh(), aws: { trustedSubjects: ["repo:acme/other:*", "repo:acme/payments-api:*"], subjectIsPattern: true } });
    expect(r.problems).toEqual([]);
    expect(r.notes).toEqual([`AWS admits ${SUB} through a pattern, not exactly`]);
  });

  test("an exact trust gives no pattern note, even with subjectIsPattern", () => {
    expect(checkAgreement({ source: gh(), aws: { trustedSubjects: [SUB] } })).toStrictEqual({ ok: true, issuedSubject: SUB, claims: expect.any(Object), problems: [], notes: [] });
    expect(checkAgreement({ source: gh(), aws: { trustedSubjects: ["repo:acme/*", SUB], subjectIsPattern: true } }).notes).toEqual([]);
  });

  test("an extra claim pinned to another value: full problem quoting both values", () => {
    const a = "acme/shared/.github/workflows/a.yml@refs/heads/main";
    const b = "acme/shared/.github/workflows/b.yml@refs/heads/main";
    expect(checkAgreement({ source: gh({ workflowRef: a }), aws: { trustedSubjects: [SUB], extraClaims: { job_workflow_ref: b } } }).problems).toStrictEqual([
      {
        side: "aws",
        message: `AWS pins job_workflow_ref to "${b}", but the token GitHub will issue carries "${a}"`,
        path: "aws.trust.job_workflow_ref",
        value: b,
        fix: "pin job_workflow_ref to the value the workflow runs with (source.workflowRef)",
        key: "Agreement::aws-job_workflow_ref",
      },
    ]);
  });
});

describe("GCP attributeCondition", () => {
  test("a condition that fails to evaluate: the error is in the message", () => {
    expect(checkAgreement({ source: gh(), gcp: { attributeCondition: 'assertion.nope == "x"' } }).problems).toStrictEqual([
      {
        side: "gcp",
        message: `the GCP attributeCondition must admit the token GitHub will issue (sub "${SUB}"); it fails: No such key: nope`,
        path: "gcp.provider.attributeCondition",
        value: 'assertion.nope == "x"',
        fix: GCP_REBUILD,
        key: "Agreement::gcp-condition",
      },
    ]);
  });

  test("a condition admitting neither token is blamed on gcp even when the spec has problems", () => {
    expect(only({ ...templateMismatch(), gcp: { attributeCondition: COND_OTHER_REPO } }, "gcp.provider.attributeCondition")).toStrictEqual([
      {
        side: "gcp",
        message: `the GCP attributeCondition must admit the token GitHub will issue (sub "${TEMPLATE_SUB}"); it evaluates to false`,
        path: "gcp.provider.attributeCondition",
        value: COND_OTHER_REPO,
        fix: GCP_REBUILD,
        key: "Agreement::gcp-condition",
      },
    ]);
  });

  test("a condition built from a source with another environment name: blamed on the spec", () => {
    const i: AgreementInput = { source: gh(), github: github({ environment: { name: "production", branches: "protected" } }), gcp: { attributeCondition: COND_PROD } };
    expect(only(i, "gcp.provider.attributeCondition")).toStrictEqual([
      {
        side: "spec",
        message: 'the GCP attributeCondition must admit the token GitHub will issue (sub "repo:acme/payments-api:environment:production"); it evaluates to false',
        path: "gcp.provider.attributeCondition",
        value: COND_PROD,
        fix: GCP_FOLLOWS,
        key: "Agreement::gcp-condition",
      },
    ]);
  });

  test("the source's token is rendered with the managed environment's exact branch as its ref", () => {
    const cond = "assertion.environment == 'prod' && assertion.ref == 'refs/heads/release'";
    const i: AgreementInput = { source: gh(), github: github({ environment: { name: "production", branches: ["release"] } }), gcp: { attributeCondition: cond } };
    expect(only(i, "gcp.provider.attributeCondition").map((p) => [p.side, p.fix])).toEqual([["spec", GCP_FOLLOWS]]);
  });

  test("the source yields no subject but its token is admitted: blamed on the spec", () => {
    const r = checkAgreement(noSpecSubject());
    expect(r.problems.map((p) => [p.side, p.path])).toEqual([
      ["spec", "source.environment"],
      ["spec", "source"],
      ["spec", "gcp.provider.attributeCondition"],
    ]);
    expect(r.problems[2]).toStrictEqual({
      side: "spec",
      message: 'the GCP attributeCondition must admit the token GitHub will issue (sub "repository_owner_id:1001:repository_id:2002:ref:refs/heads/main"); it evaluates to false',
      path: "gcp.provider.attributeCondition",
      value: COND_PROD,
      fix: GCP_FOLLOWS,
      key: "Agreement::gcp-condition",
    });
  });

  test("…and still blamed on the spec when AWS has a problem of its own", () => {
    const r = checkAgreement(noSpecSubject({ aws: { trustedSubjects: ["repo:acme/other:environment:prod"] } }));
    expect(r.problems.map((p) => [p.side, p.path])).toEqual([
      ["spec", "source.environment"],
      ["spec", "source"],
      ["aws", "aws.trust.sub"],
      ["spec", "gcp.provider.attributeCondition"],
    ]);
  });

  test("the source's own token cannot be rendered: the condition is blamed on gcp", () => {
    const i: AgreementInput = {
      source: gh({ environment: undefined, branch: "main", subjectClaims: TEMPLATE_ENV }),
      github: github({ environment: { name: "prod", branches: ["main"] }, subjectTemplate: { includeClaimKeys: TEMPLATE_ENV } }),
      gcp: { attributeCondition: COND_OTHER_REPO },
    };
    expect(checkAgreement(i).problems.map((p) => [p.side, p.path, p.fix])).toEqual([
      ["spec", "source.environment", 'set source.environment to "prod"'],
      ["spec", "source", "pin the claims the subject template lists"],
      ["gcp", "gcp.provider.attributeCondition", GCP_REBUILD],
    ]);
  });
});

describe("GCP principal", () => {
  test("a principal for the spec's subject while the spec disagrees: blamed on the spec", () => {
    const p = `${POOL}/subject/${SUB}`;
    expect(only({ ...templateMismatch(), gcp: { attributeCondition: COND_PROD, principal: p } }, "gcp.principal")).toStrictEqual([
      {
        side: "spec",
        message: `the GCP principal must name the subject GitHub will issue, "${TEMPLATE_SUB}"; got "${p}"`,
        path: "gcp.principal",
        value: p,
        fix: PRINCIPAL_FOLLOWS,
        key: "Agreement::gcp-principal",
      },
    ]);
  });

  test("a principal for another subject: blamed on gcp even when the spec disagrees", () => {
    const p = `${POOL}/subject/repo:acme/other:environment:prod`;
    expect(only({ ...templateMismatch(), gcp: { attributeCondition: COND_PROD, principal: p } }, "gcp.principal")).toStrictEqual([
      {
        side: "gcp",
        message: `the GCP principal must name the subject GitHub will issue, "${TEMPLATE_SUB}"; got "${p}"`,
        path: "gcp.principal",
        value: p,
        fix: PRINCIPAL_BIND,
        key: "Agreement::gcp-principal",
      },
    ]);
  });

  test("the subject must run to the end of the principal (a trailing line is not the issued subject)", () => {
    const p = `${POOL}/subject/${SUB}\nextra`;
    expect(only({ source: gh(), gcp: { attributeCondition: COND_PROD, principal: p } }, "gcp.principal").map((x) => [x.side, x.fix])).toEqual([["gcp", PRINCIPAL_BIND]]);
  });

  // Defect found by the mutation review: with no subject on either side (a principalSet, a source that
  // yields no subject) the fix said the principal follows the source, though the problem blames GCP.
  test("a principalSet when the source yields no subject: blamed on gcp, and the fix says so", () => {
    const p = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/attribute.repository_id/2002";
    expect(only(noSpecSubject({ gcp: { attributeCondition: COND_PROD, principal: p } }), "gcp.principal").map((x) => [x.side, x.fix])).toEqual([["gcp", PRINCIPAL_BIND]]);
  });

  test("a principalSet (no /subject/) is a gcp problem, not an exception", () => {
    const p = "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-prod/attribute.repository_id/2002";
    expect(only({ source: gh(), gcp: { attributeCondition: COND_PROD, principal: p } }, "gcp.principal").map((x) => [x.side, x.fix])).toEqual([["gcp", PRINCIPAL_BIND]]);
  });
});
