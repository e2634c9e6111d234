/**
 * Pins the exact observable behaviour of policies/rules/github-bot-least-privilege.ts that the
 * fixtures leave loose: the toolkit marker `underToolkitComponent` on short URNs; each finding's full
 * message / path / value / fix / key for repository grants (user and team wording, the
 * RepositoryCollaborators `users[i]` / `teams[i]` paths), team maintainers (TeamMembership `role`,
 * TeamMembers `members[i].role`) and organisation owners; humans given those roles are not flagged;
 * when the resource itself marks a bot (name pattern or toolkit marker) the grantee shown is the
 * known username, or "(unknown at preview)" when the username is a preview unknown.
 */
import { policies } from "../../../policies/list";
import { runPolicies, InputResource } from "../../../policies/harness";
import { underToolkitComponent } from "../../../policies/rules/github-bot-least-privilege";

const NOW = new Date("2026-11-15T12:00:00Z");
/** The engine's sentinel for a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const COLLABORATOR = "github:index/repositoryCollaborator:RepositoryCollaborator";
const COLLABORATORS = "github:index/repositoryCollaborators:RepositoryCollaborators";
const TEAM_REPO = "github:index/teamRepository:TeamRepository";
const TEAM_MEMBERSHIP = "github:index/teamMembership:TeamMembership";
const TEAM_MEMBERS = "github:index/teamMembers:TeamMembers";
const MEMBERSHIP = "github:index/membership:Membership";
const urnOf = (type: string, name: string) => `urn:pulumi:stack::project::${type}::${name}`;
/** A URN whose type chain puts the resource under one of the toolkit's components. */
const toolkitUrn = (type: string, name: string) => `urn:pulumi:dev::app::assistant-identities:index:AssistantIdentity$${type}::${name}`;

const pack = policies.filter((p) => p.name === "github-bot-least-privilege");

/** The rule's violations: where, level, outcome and the structured finding. */
async function check(resources: InputResource[]) {
  const vs = await runPolicies(pack, resources, { now: NOW });
  return vs.map((v) => ({ urn: v.urn, enforcementLevel: v.enforcementLevel, outcome: v.outcome, finding: v.finding }));
}
const found = (urn: string, finding: Record<string, unknown>) => ({ urn, enforcementLevel: "mandatory", outcome: "finding", finding });

const REPO_FIX = "use permission push (or triage) and keep branch protection/rulesets under human admins";
const MAINTAINER_FIX = "use role member; team maintainers can add members and change the team's repository access";
const OWNER_FIX = "use role member";

describe("underToolkitComponent", () => {
  test("a resource whose type chain contains assistant-identities: is under a toolkit component", () => {
    expect(underToolkitComponent(toolkitUrn(COLLABORATOR, "reviewer"))).toBe(true);
  });

  test("a plain top-level URN is not", () => {
    expect(underToolkitComponent(urnOf(COLLABORATOR, "reviewer"))).toBe(false);
  });

  test("a string with fewer than four ::-parts is not a URN, even when its third part names the toolkit", () => {
    expect(underToolkitComponent("urn:pulumi:dev::app::assistant-identities:index:AssistantIdentity")).toBe(false);
  });

  test("a string with only two ::-parts is not a URN (and does not throw)", () => {
    expect(underToolkitComponent("urn:pulumi:dev::app")).toBe(false);
  });
});

describe("repository grants: exact findings", () => {
  test("a bot account with admin on a repository: message names the account, the pattern and the repository", async () => {
    expect(await check([{ type: COLLABORATOR, name: "gh-app", props: { repository: "app", username: "acme-ci[bot]", permission: "admin" } }])).toStrictEqual([
      found(urnOf(COLLABORATOR, "gh-app"), {
        message: 'must not give admin on repository "app" to bot account "acme-ci[bot]" (matches *[bot]); got permission admin',
        path: "permission",
        value: "admin",
        fix: REPO_FIX,
        key: "user:acme-ci[bot]:admin",
      }),
    ]);
  });

  test("the engine message is the description, the resource, the path, the finding, why, fix, key and standards", async () => {
    const vs = await runPolicies(pack, [{ type: COLLABORATOR, name: "claude", props: { repository: "app", username: "claude-assistant", permission: "maintain" } }], { now: NOW });
    expect(vs.map((v) => v.message)).toStrictEqual([
      "Flags admin or maintain repository permission, team maintainer role and organisation admin membership for accounts and teams recognised as bots or AI assistants (configurable name patterns, or created by the toolkit's components).\n" +
        "github:index/repositoryCollaborator:RepositoryCollaborator 'claude' at permission: " +
        'must not give maintain on repository "app" to bot account "claude-assistant" (matches *assistant*); got permission maintain. ' +
        "Why it matters: An assistant with admin or maintain can change branch protection, rulesets, secrets, webhooks and collaborators, i.e. remove the very review gates that keep its own changes in check; a prompt-injected agent then rewrites its guardrails. " +
        "Fix: use permission push (or triage) and keep branch protection/rulesets under human admins. " +
        "Finding key: user:claude-assistant:maintain. " +
        "Standards: OWASP NHI5 Overprivileged NHI; OWASP NHI10 Human Use of NHI; OWASP ASI02 Tool Misuse and Exploitation; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L7; MAESTRO L6; NIST CSF PR.AA-05.",
    ]);
  });

  test("a bot team with admin on a repository (TeamRepository) is worded as a bot team", async () => {
    expect(await check([{ type: TEAM_REPO, name: "team-access", props: { repository: "app", teamId: "ai-assistants", permission: "admin" } }])).toStrictEqual([
      found(urnOf(TEAM_REPO, "team-access"), {
        message: 'must not give admin on repository "app" to bot team "ai-assistants" (matches ai-*); got permission admin',
        path: "permission",
        value: "admin",
        fix: REPO_FIX,
        key: "team:ai-assistants:admin",
      }),
    ]);
  });

  test("a bot-named TeamRepository with an unknown team id names the grantee (unknown at preview)", async () => {
    expect(await check([{ type: TEAM_REPO, name: "ai-team-repo", props: { repository: "app", teamId: UNKNOWN, permission: "maintain" } }])).toStrictEqual([
      found(urnOf(TEAM_REPO, "ai-team-repo"), {
        message: 'must not give maintain on repository "app" to bot team "(unknown at preview)" (resource name matches ai-*); got permission maintain',
        path: "permission",
        value: "maintain",
        fix: REPO_FIX,
        key: "team:(unknown at preview):maintain",
      }),
    ]);
  });

  test("RepositoryCollaborators: bot users and bot teams are flagged at users[i] / teams[i], humans and human teams are not", async () => {
    const urn = urnOf(COLLABORATORS, "collabs");
    expect(
      await check([
        {
          type: COLLABORATORS,
          name: "collabs",
          props: {
            repository: "app",
            users: [
              { username: "alice", permission: "admin" },
              { username: "codex-agent", permission: "admin" },
            ],
            teams: [
              { teamId: "core", permission: "maintain" },
              { teamId: "ai-reviewers", permission: "admin" },
              { teamId: "review-bot", permission: "push" },
            ],
          },
        },
      ]),
    ).toStrictEqual([
      found(urn, {
        message: 'must not give admin on repository "app" to bot account "codex-agent" (matches *agent*); got permission admin',
        path: "users[1].permission",
        value: "admin",
        fix: REPO_FIX,
        key: "user:codex-agent:admin",
      }),
      found(urn, {
        message: 'must not give admin on repository "app" to bot team "ai-reviewers" (matches ai-*); got permission admin',
        path: "teams[1].permission",
        value: "admin",
        fix: REPO_FIX,
        key: "team:ai-reviewers:admin",
      }),
    ]);
  });
});

describe("team maintainers", () => {
  test("TeamMembership: a bot maintainer is flagged at role with the exact message, value, fix and key", async () => {
    expect(await check([{ type: TEAM_MEMBERSHIP, name: "maint", props: { teamId: "123", username: "deploy-bot", role: "maintainer" } }])).toStrictEqual([
      found(urnOf(TEAM_MEMBERSHIP, "maint"), {
        message: 'must not make bot account "deploy-bot" (matches *-bot) a team maintainer; got role maintainer',
        path: "role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:deploy-bot",
      }),
    ]);
  });

  test("TeamMembership: a human maintainer under a neutral resource name is not flagged", async () => {
    expect(await check([{ type: TEAM_MEMBERSHIP, name: "lead", props: { teamId: "123", username: "alice", role: "maintainer" } }])).toStrictEqual([]);
  });

  test("TeamMembership under a bot-named resource: the known username is shown, the reason is the resource name", async () => {
    expect(await check([{ type: TEAM_MEMBERSHIP, name: "bot-maint", props: { teamId: "123", username: "octo-7", role: "maintainer" } }])).toStrictEqual([
      found(urnOf(TEAM_MEMBERSHIP, "bot-maint"), {
        message: 'must not make bot account "octo-7" (resource name matches bot-*) a team maintainer; got role maintainer',
        path: "role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:octo-7",
      }),
    ]);
  });

  test("TeamMembership under a bot-named resource with an unknown username: shown as (unknown at preview)", async () => {
    expect(await check([{ type: TEAM_MEMBERSHIP, name: "bot-maint", props: { teamId: "123", username: UNKNOWN, role: "maintainer" } }])).toStrictEqual([
      found(urnOf(TEAM_MEMBERSHIP, "bot-maint"), {
        message: 'must not make bot account "(unknown at preview)" (resource name matches bot-*) a team maintainer; got role maintainer',
        path: "role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:(unknown at preview)",
      }),
    ]);
  });

  test("TeamMembers: only bot maintainers are flagged, each at members[i].role", async () => {
    const urn = urnOf(TEAM_MEMBERS, "core-members");
    expect(
      await check([
        {
          type: TEAM_MEMBERS,
          name: "core-members",
          props: {
            teamId: "123",
            members: [
              { username: "alice", role: "maintainer" },
              { username: "deploy-bot", role: "member" },
              { username: "claude-assistant", role: "maintainer" },
              { username: "renovate[bot]", role: "maintainer" },
            ],
          },
        },
      ]),
    ).toStrictEqual([
      found(urn, {
        message: 'must not make bot account "claude-assistant" (matches *assistant*) a team maintainer; got role maintainer',
        path: "members[2].role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:claude-assistant",
      }),
      found(urn, {
        message: 'must not make bot account "renovate[bot]" (matches *[bot]) a team maintainer; got role maintainer',
        path: "members[3].role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:renovate[bot]",
      }),
    ]);
  });

  test("TeamMembers under a toolkit component: every maintainer is flagged by the marker, known usernames shown, unknown ones as (unknown at preview)", async () => {
    const urn = toolkitUrn(TEAM_MEMBERS, "members");
    expect(
      await check([
        {
          urn,
          type: TEAM_MEMBERS,
          name: "members",
          props: {
            teamId: "123",
            members: [
              { username: "octo-7", role: "maintainer" },
              { username: "octo-8", role: "member" },
              { username: UNKNOWN, role: "maintainer" },
            ],
          },
        },
      ]),
    ).toStrictEqual([
      found(urn, {
        message: 'must not make bot account "octo-7" (created by an assistant-identities component) a team maintainer; got role maintainer',
        path: "members[0].role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:octo-7",
      }),
      found(urn, {
        message: 'must not make bot account "(unknown at preview)" (created by an assistant-identities component) a team maintainer; got role maintainer',
        path: "members[2].role",
        value: "maintainer",
        fix: MAINTAINER_FIX,
        key: "team-maintainer:(unknown at preview)",
      }),
    ]);
  });
});

describe("organisation owners", () => {
  test("a bot organisation admin is flagged at role with the exact message, value, fix and key", async () => {
    expect(await check([{ type: MEMBERSHIP, name: "owner", props: { username: "ai-release", role: "admin" } }])).toStrictEqual([
      found(urnOf(MEMBERSHIP, "owner"), {
        message: 'must not make bot account "ai-release" (matches ai-*) an organisation owner; got role admin',
        path: "role",
        value: "admin",
        fix: OWNER_FIX,
        key: "org-admin:ai-release",
      }),
    ]);
  });

  test("a human organisation admin under a neutral resource name is not flagged", async () => {
    expect(await check([{ type: MEMBERSHIP, name: "owner", props: { username: "alice", role: "admin" } }])).toStrictEqual([]);
  });

  test("under a bot-named resource: the known username is shown, the reason is the resource name", async () => {
    expect(await check([{ type: MEMBERSHIP, name: "bot-owner", props: { username: "octo-7", role: "admin" } }])).toStrictEqual([
      found(urnOf(MEMBERSHIP, "bot-owner"), {
        message: 'must not make bot account "octo-7" (resource name matches bot-*) an organisation owner; got role admin',
        path: "role",
        value: "admin",
        fix: OWNER_FIX,
        key: "org-admin:octo-7",
      }),
    ]);
  });

  test("under a toolkit component with an unknown username: shown as (unknown at preview)", async () => {
    const urn = toolkitUrn(MEMBERSHIP, "owner");
    expect(await check([{ urn, type: MEMBERSHIP, name: "owner", props: { username: UNKNOWN, role: "admin" } }])).toStrictEqual([
      found(urn, {
        message: 'must not make bot account "(unknown at preview)" (created by an assistant-identities component) an organisation owner; got role admin',
        path: "role",
        value: "admin",
        fix: OWNER_FIX,
        key: "org-admin:(unknown at preview)",
      }),
    ]);
  });
});
