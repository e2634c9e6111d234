/**
 * Agreement: the subject GitHub will issue (under the environment and subject template the stack
 * itself configures) is exactly the one AWS trusts, the GCP condition admits and the GCP principal
 * names. A mismatch says which side to fix.
 *
 * The GitHub side is rendered from GitHub's rules (core/github/claims.ts); the AWS and GCP sides are
 * what the caller actually built, passed in as strings.
 */
import type { Finding } from "../findings";
import type { GithubActionsSource } from "../spec/schema";
import type { GithubAccess } from "../spec/github";
import { githubSubject } from "../oidc/subjects";
import { evaluateAttributeCondition } from "../gcp/cel";
import { githubClaims, githubIssuedSource, type GithubClaims } from "./claims";

export type AgreementSide = "spec" | "github" | "aws" | "gcp";

export interface AgreementProblem extends Finding {
  /** Which side must change. */
  side: AgreementSide;
}

export interface AgreementInput {
  source: GithubActionsSource;
  /** What the stack manages on GitHub (environment, subject template); absent: the repository as the source describes it. */
  github?: Pick<GithubAccess, "environment" | "subjectTemplate">;
  /** The subjects the AWS role's trust policy admits (StringEquals values, or StringLike patterns), and extra claims it pins. */
  aws?: { trustedSubjects: string[]; subjectIsPattern?: boolean; extraClaims?: Record<string, string> };
  /** The provider's attributeCondition and the principal bound to the service account / resources. */
  gcp?: { attributeCondition: string; principal?: string };
}

export interface AgreementResult {
  ok: boolean;
  /** The `sub` GitHub will issue, when it can issue one. */
  issuedSubject?: string;
  /** The claims of that token (what GCP's condition was evaluated against). */
  claims?: GithubClaims;
  problems: AgreementProblem[];
  /** Things that are true but not checked here (e.g. a template configured outside the stack). */
  notes: string[];
}

export class AgreementError extends Error {
  constructor(public readonly problems: AgreementProblem[]) {
    super(problems.map((p) => `[${p.side}] ${p.message} (fix: ${p.fix})`).join("\n"));
    this.name = "AgreementError";
  }
}

/** AWS StringLike: `*` any run of characters, `?` one character. */
export function awsGlobMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  return re.test(value);
}

/** GitHub deployment branch policy patterns (fnmatch, `*` does not cross '/', `**` does). */
function branchMatches(pattern: string, branch: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|\\]/g, "\\$&")
    .replace(/\*\*/g, "\u0000")
    .replace(/\*/g, "[^/]*")
    .replace(/\?/g, "[^/]")
    .replace(/\u0000/g, ".*");
  return new RegExp(`^${re}$`).test(branch);
}

const sameList = (a?: readonly string[], b?: readonly string[]) => (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === b?.[i]);

export function checkAgreement(input: AgreementInput): AgreementResult {
  const { source, github } = input;
  const problems: AgreementProblem[] = [];
  const notes: string[] = [];

  // 1. The spec's source against what the stack configures on GitHub.
  if (github?.environment && source.environment !== github.environment.name) {
    problems.push({
      side: "spec",
      message: `source.environment must equal github.environment.name (the environment the stack creates, which GitHub puts in the token); got ${JSON.stringify(source.environment)} and ${JSON.stringify(github.environment.name)}`,
      path: "source.environment",
      value: source.environment,
      fix: `set source.environment to ${JSON.stringify(github.environment.name)}`,
      key: "Agreement::environment",
    });
  }
  if (github?.subjectTemplate && !sameList(source.subjectClaims, github.subjectTemplate.includeClaimKeys)) {
    problems.push({
      side: "spec",
      message: `source.subjectClaims (what AWS trust and the GCP principal are built from) must equal github.subjectTemplate.includeClaimKeys (what GitHub will render); got ${JSON.stringify(source.subjectClaims ?? null)} and ${JSON.stringify(github.subjectTemplate.includeClaimKeys)}`,
      path: "source.subjectClaims",
      value: source.subjectClaims,
      fix: `set source.subjectClaims to ${JSON.stringify(github.subjectTemplate.includeClaimKeys)}`,
      key: "Agreement::template",
    });
  }
  if (source.subjectClaims && !github?.subjectTemplate) {
    notes.push(
      `source.subjectClaims is set but the stack manages no subject template: the repository ${source.repository} (or its organisation) must already use use_default false with include_claim_keys ${JSON.stringify(source.subjectClaims)}`,
    );
  }
  const envBranches = github?.environment?.branches;
  if (source.branch !== undefined && Array.isArray(envBranches) && !envBranches.some((p) => branchMatches(p, source.branch!))) {
    problems.push({
      side: "spec",
      message: `source.branch must be allowed to deploy to environment ${github!.environment!.name}; got ${JSON.stringify(source.branch)} and branches ${JSON.stringify(envBranches)}`,
      path: "github.environment.branches",
      value: envBranches,
      fix: `add ${JSON.stringify(source.branch)} to github.environment.branches or pin an allowed branch`,
      key: "Agreement::branch",
    });
  }

  // 2. What GitHub will issue.
  const issuedSource = githubIssuedSource(source, github);
  let claims: GithubClaims;
  try {
    claims = githubClaims(issuedSource, { github, template: issuedSource.subjectClaims });
  } catch (e) {
    problems.push({
      side: "github",
      message: `GitHub must be able to render a subject for this job; ${(e as Error).message}`,
      path: "github.subjectTemplate",
      fix: "pin the claims the template lists (e.g. source.branch for ref) or drop them from the template",
    });
    return { ok: false, problems, notes };
  }
  const issued = claims["sub"]!;
  let specSubject: string | undefined;
  try {
    specSubject = githubSubject(source);
  } catch (e) {
    problems.push({ side: "spec", message: `the source must yield one exact subject; ${(e as Error).message}`, path: "source", fix: "pin the claims the subject template lists" });
  }
  const specDisagrees = specSubject !== undefined && specSubject !== issued;
  if (specDisagrees && !problems.some((p) => p.side === "spec")) {
    problems.push({
      side: "spec",
      message: `the source's subject must be the one GitHub will issue; got ${JSON.stringify(specSubject)} from the source and ${JSON.stringify(issued)} from GitHub (subject form ${source.subjectForm})`,
      path: "source",
      value: specSubject,
      fix: "make source.subjectForm, environment, branch/tag and subjectClaims describe the repository as GitHub has it",
    });
  }
  const blame = (builtFromSpec: boolean, side: "aws" | "gcp"): AgreementSide => (builtFromSpec && specDisagrees ? "spec" : side);

  // 3. AWS.
  if (input.aws) {
    const { trustedSubjects, subjectIsPattern, extraClaims } = input.aws;
    const trusts = (s: string) => trustedSubjects.includes(s) || (subjectIsPattern === true && trustedSubjects.some((p) => awsGlobMatch(p, s)));
    if (!trusts(issued)) {
      const fromSpec = specSubject !== undefined && trusts(specSubject);
      problems.push({
        side: blame(fromSpec, "aws"),
        message: `AWS must trust the subject GitHub will issue, ${JSON.stringify(issued)}; it trusts ${JSON.stringify(trustedSubjects)}`,
        path: "aws.trust.sub",
        value: trustedSubjects,
        fix: fromSpec ? "fix the spec as reported above: AWS trust follows the source" : "rebuild the AWS trust policy from the assistant's source (core/oidc/subjects.ts awsFederation)",
        key: "Agreement::aws-sub",
      });
    } else if (subjectIsPattern && !trustedSubjects.includes(issued)) {
      notes.push(`AWS admits ${issued} through a pattern, not exactly`);
    }
    for (const [k, v] of Object.entries(extraClaims ?? {})) {
      if (claims[k] !== v) {
        problems.push({
          side: "aws",
          message: `AWS pins ${k} to ${JSON.stringify(v)}, but the token GitHub will issue carries ${JSON.stringify(claims[k] ?? null)}`,
          path: `aws.trust.${k}`,
          value: v,
          fix: `pin ${k} to the value the workflow runs with (source.workflowRef)`,
          key: `Agreement::aws-${k}`,
        });
      }
    }
  }

  // 4. GCP.
  if (input.gcp) {
    const e = evaluateAttributeCondition(input.gcp.attributeCondition, claims);
    if (!e.admitted) {
      let admitsSpec = false;
      try {
        admitsSpec = evaluateAttributeCondition(input.gcp.attributeCondition, githubClaims(source, { github, template: source.subjectClaims })).admitted;
      } catch {
        admitsSpec = false;
      }
      problems.push({
        side: admitsSpec && (specDisagrees || problems.some((p) => p.side === "spec")) ? "spec" : "gcp",
        message: `the GCP attributeCondition must admit the token GitHub will issue (sub ${JSON.stringify(issued)}); it ${e.error ? `fails: ${e.error}` : `evaluates to ${JSON.stringify(e.value)}`}`,
        path: "gcp.provider.attributeCondition",
        value: input.gcp.attributeCondition,
        fix: admitsSpec ? "fix the spec as reported above: the condition follows the source" : "rebuild the condition from the assistant's source and github environment (core/gcp conditionClause)",
        key: "Agreement::gcp-condition",
      });
    }
    if (input.gcp.principal !== undefined) {
      const m = /\/subject\/(.+)$/.exec(input.gcp.principal);
      const bound = m?.[1];
      if (bound !== issued) {
        const followsSpec = bound !== undefined && bound === specSubject;
        problems.push({
          side: blame(followsSpec, "gcp"),
          message: `the GCP principal must name the subject GitHub will issue, ${JSON.stringify(issued)}; got ${JSON.stringify(input.gcp.principal)}`,
          path: "gcp.principal",
          value: input.gcp.principal,
          fix: followsSpec ? "fix the spec as reported above: the principal follows the source" : "bind principal://…/subject/<the issued sub> (core/gcp principal)",
          key: "Agreement::gcp-principal",
        });
      }
    }
  }

  return { ok: problems.length === 0, issuedSubject: issued, claims, problems, notes };
}

/** Throws an AgreementError listing every mismatch and the side to fix; returns the issued subject. */
export function assertAgreement(input: AgreementInput): string {
  const r = checkAgreement(input);
  if (!r.ok) throw new AgreementError(r.problems);
  return r.issuedSubject!;
}
