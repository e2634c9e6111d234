/**
 * Proof, with a real CEL engine, that a provider condition admits the declared workload and
 * rejects its look-alikes: another repository, another owner, a repository renamed away with its
 * name re-created (new id), a re-registered owner, a fork's pull request, a fork's own workflow,
 * another branch / tag / environment / workflow where pinned. Fails closed.
 */
import type { Source } from "../spec/schema";
import type { GithubAccess } from "../spec/github";
import { githubClaims, exactEnvironmentBranches } from "../github/claims";
import { checkCondition, type ClaimFixture, type ConditionCheck } from "./cel";
import { conditionClause } from "./provider";

export class GcpConditionError extends Error {
  constructor(
    message: string,
    public readonly check: ConditionCheck,
  ) {
    super(message);
    this.name = "GcpConditionError";
  }
}

/** What a fixture varies: `identity` fixtures change the repository/owner/project/subject itself. */
export type FixtureCategory = "good" | "identity" | "context";
export interface WorkloadFixture extends ClaimFixture {
  category: FixtureCategory;
}

export interface SoundnessMember {
  /** Assistant name, for messages. */
  name?: string;
  source: Source;
  github?: Pick<GithubAccess, "environment">;
}

/** Ids no member declares: used for the look-alike repositories and owners. */
function freshIds(taken: Set<string>, n: number): string[] {
  const out: string[] = [];
  for (let i = 900000001; out.length < n; i += 7919) if (!taken.has(String(i))) out.push(String(i));
  return out;
}

const fx = (name: string, category: FixtureCategory, claims: Record<string, unknown>): WorkloadFixture => ({
  name,
  category,
  claims,
  expect: category === "good" ? "admit" : "reject",
});

/** Good and bad claim sets for one assistant's source. `takenIds`: ids declared anywhere in the provider (never reused for look-alikes). */
export function workloadFixtures(member: SoundnessMember, takenIds: Set<string> = new Set()): WorkloadFixture[] {
  const { source } = member;
  switch (source.kind) {
    case "github-actions": {
      const taken = new Set([...takenIds, String(source.ownerId), String(source.repositoryId)]);
      const [otherRepoId, otherOwnerId, renamedId, forkId, forkOwnerId] = freshIds(taken, 5) as [string, string, string, string, string];
      const [owner, repo] = source.repository.split("/") as [string, string];
      const base = (overrides: Record<string, string | undefined> = {}) => githubClaims(source, { github: member.github, overrides });
      const out: WorkloadFixture[] = [fx("good: the declared workload", "good", base())];
      out.push(
        fx("bad: another repository of the same owner", "identity", base({ repository: `${owner}/${repo}-other`, repository_id: otherRepoId })),
        fx("bad: another owner with a repository of the same name", "identity", base({ repository: `${owner}-evil/${repo}`, repository_owner: `${owner}-evil`, repository_owner_id: otherOwnerId, repository_id: otherRepoId })),
        fx("bad: the repository renamed away and its name re-created (same name, new id)", "identity", base({ repository_id: renamedId })),
        fx("bad: the owner deleted and its name re-registered (same names, new owner id)", "identity", base({ repository_owner_id: otherOwnerId, repository_id: renamedId })),
        fx("bad: the same repository id under another owner id", "identity", base({ repository_owner_id: otherOwnerId })),
        fx("bad: a fork's own workflow", "identity", base({ repository: `forker/${repo}`, repository_owner: "forker", repository_owner_id: forkOwnerId, repository_id: forkId })),
        fx("bad: a pull request from a fork (base repository context)", "context", base({ event_name: "pull_request", ref: "refs/pull/7/merge", environment: undefined, head_ref: "fork-branch", base_ref: "main", ref_protected: "false" })),
      );
      if (source.environment !== undefined) {
        out.push(
          fx("bad: another environment", "context", base({ environment: `${source.environment}-other` })),
          fx("bad: a job that uses no environment", "context", base({ environment: undefined })),
        );
      }
      const pinsRef = source.branch !== undefined || source.tag !== undefined || (source.environment !== undefined && member.github?.environment?.name === source.environment && exactEnvironmentBranches(member.github) !== undefined);
      if (pinsRef) {
        // A look-alike branch no pin declares (a declared one would be the workload itself).
        const declared = new Set([source.branch, ...(exactEnvironmentBranches(member.github) ?? [])]);
        let attacker = "attacker-branch";
        while (declared.has(attacker)) attacker += "-x";
        out.push(fx("bad: another branch", "context", base({ ref: `refs/heads/${attacker}`, ref_type: "branch" })));
        if (source.branch !== undefined) out.push(fx("bad: a tag named like the pinned branch", "context", base({ ref: `refs/tags/${source.branch}`, ref_type: "tag" })));
        if (source.tag !== undefined) out.push(fx("bad: a branch named like the pinned tag", "context", base({ ref: `refs/heads/${source.tag}`, ref_type: "branch" })));
      }
      if (source.workflowRef !== undefined) {
        out.push(fx("bad: another workflow file", "context", base({ job_workflow_ref: source.workflowRef.replace(/\/\.github\/workflows\/([^@]+)@/, (_m, file: string) => `/.github/workflows/${file === "attacker.yml" ? "attacker-other.yml" : "attacker.yml"}@`) })));
      }
      return out;
    }
    case "gitlab-ci": {
      const [group] = source.projectPath.split("/");
      const rest = source.projectPath.slice(group!.length + 1);
      const base = (o: Record<string, string> = {}) => {
        const c: Record<string, string> = {
          iss: source.issuer,
          aud: source.audience ?? "https://iam.googleapis.com",
          project_path: source.projectPath,
          namespace_path: source.projectPath.split("/").slice(0, -1).join("/"),
          project_id: "1",
          ref: source.ref,
          ref_type: source.refType,
          ref_protected: "true",
          pipeline_source: "push",
          ...o,
        };
        c["sub"] = `project_path:${c["project_path"]}:ref_type:${c["ref_type"]}:ref:${c["ref"]}`;
        return c;
      };
      return [
        fx("good: the declared workload", "good", base()),
        fx("bad: another project of the same group", "identity", base({ project_path: `${source.projectPath}-other` })),
        fx("bad: a project of the same name in another group", "identity", base({ project_path: `${group}-evil/${rest}` })),
        fx("bad: a sub-project below the declared one", "identity", base({ project_path: `${source.projectPath}/nested` })),
        fx("bad: another ref", "context", base({ ref: `${source.ref}-other` })),
        fx(`bad: a ${source.refType === "branch" ? "tag" : "branch"} named like the pinned ref`, "context", base({ ref_type: source.refType === "branch" ? "tag" : "branch" })),
      ];
    }
    case "kubernetes": {
      const base = (ns: string, sa: string) => ({
        iss: source.issuer,
        aud: [source.audience ?? "https://iam.googleapis.com"],
        sub: `system:serviceaccount:${ns}:${sa}`,
        "kubernetes.io": { namespace: ns, serviceaccount: { name: sa, uid: "00000000-0000-0000-0000-000000000001" }, pod: { name: "assistant-0", uid: "00000000-0000-0000-0000-000000000002" } },
      });
      return [
        fx("good: the declared workload", "good", base(source.namespace, source.serviceAccount)),
        fx("bad: the same service account name in another namespace", "identity", base(`${source.namespace}-other`, source.serviceAccount)),
        fx("bad: another service account in the namespace", "identity", base(source.namespace, `${source.serviceAccount}-other`)),
        fx("bad: the default service account of the namespace", "identity", base(source.namespace, "default")),
      ];
    }
    case "spiffe": {
      const id = source.spiffeId;
      const td = id.slice("spiffe://".length).split("/")[0]!;
      const path = id.slice(`spiffe://${td}`.length);
      const base = (sub: string) => ({ iss: source.issuer, aud: [source.audience], sub });
      return [
        fx("good: the declared workload", "good", base(id)),
        fx("bad: another workload of the trust domain", "identity", base(`spiffe://${td}${path === "/other" ? "/another" : "/other"}`)),
        fx("bad: a path below the declared one", "identity", base(`${id}/child`)),
        fx("bad: the same path in another trust domain", "identity", base(`spiffe://evil.${td}${path}`)),
      ];
    }
    case "oidc": {
      const base = (sub: string) => ({ iss: source.issuer, aud: source.audience, sub });
      return [
        fx("good: the declared workload", "good", base(source.subject)),
        fx("bad: another subject", "identity", base(`${source.subject}-other`)),
        fx("bad: a subject that extends the declared one", "identity", base(`${source.subject}/x`)),
      ];
    }
  }
}

function describe(check: ConditionCheck): string {
  return check.failures
    .map((f) => (f.expect === "admit" ? `rejects "${f.name}"${f.error ? ` (${f.error})` : ""}` : `admits "${f.name}"`))
    .join("; ");
}

/**
 * Throws unless `condition` (default: the assistant's own clause) admits the declared workload
 * and rejects every look-alike. Returns the evaluation for the record.
 */
export function assertConditionSound(member: SoundnessMember, condition: string = conditionClause(member.source, member.github)): ConditionCheck {
  const check = checkCondition(condition, workloadFixtures(member));
  if (!check.ok) {
    throw new GcpConditionError(
      `the GCP attributeCondition${member.name ? ` for ${member.name}` : ""} must admit only the declared workload; it ${describe(check)}; got ${condition}`,
      check,
    );
  }
  return check;
}

/**
 * The condition of a provider shared by several assistants (their clauses ORed): each assistant's
 * workload is admitted; look-alike repositories, owners, projects and subjects (with ids no member
 * declares) are rejected; context look-alikes (another branch or environment) are rejected unless
 * another member's own clause admits them by design.
 */
export function assertProviderConditionSound(condition: string, members: SoundnessMember[]): ConditionCheck[] {
  const taken = new Set<string>();
  for (const m of members) if (m.source.kind === "github-actions") taken.add(String(m.source.ownerId)).add(String(m.source.repositoryId));
  const clauses = members.map((m) => conditionClause(m.source, m.github));
  const problems: string[] = [];
  const checks: ConditionCheck[] = [];
  members.forEach((m, i) => {
    const fixtures = workloadFixtures(m, taken).filter((f) => {
      if (f.category !== "context") return true;
      // A context look-alike another member declares on purpose is that member's workload.
      return !clauses.some((c, j) => j !== i && checkCondition(c, [{ ...f, expect: "admit" }]).ok);
    });
    const check = checkCondition(condition, fixtures);
    checks.push(check);
    if (!check.ok) problems.push(`${m.name ?? m.source.kind}: ${describe(check)}`);
  });
  if (problems.length > 0) {
    throw new GcpConditionError(`the provider's attributeCondition must admit only the declared workloads; ${problems.join(" | ")}; got ${condition}`, checks.flatMap((c) => c.failures).length ? { ok: false, results: checks.flatMap((c) => c.results), failures: checks.flatMap((c) => c.failures) } : checks[0]!);
  }
  return checks;
}
