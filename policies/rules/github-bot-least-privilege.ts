/**
 * Bot and assistant accounts (and teams of them) must not administer repositories, teams or the
 * organisation: admin/maintain on a repository (RepositoryCollaborator, RepositoryCollaborators,
 * TeamRepository), maintainer of a team (TeamMembership, TeamMembers), admin of the organisation
 * (Membership). Bots are recognised by name patterns over the username / team id / resource name,
 * and by the toolkit's marker: a resource created under one of the toolkit's components (its URN's
 * type chain contains `assistant-identities:`).
 */
import { resourceRule, RuleResource } from "../rule";
import type { Finding } from "../../core/findings";
import { globMatch } from "../config";
import { toPlain } from "../documents";

interface Config {
  botPatterns: string[];
  forbiddenRepositoryPermissions: string[];
}

const T = {
  collaborator: "github:index/repositoryCollaborator:RepositoryCollaborator",
  collaborators: "github:index/repositoryCollaborators:RepositoryCollaborators",
  teamRepo: "github:index/teamRepository:TeamRepository",
  teamMembership: "github:index/teamMembership:TeamMembership",
  teamMembers: "github:index/teamMembers:TeamMembers",
  membership: "github:index/membership:Membership",
} as const;

export const DEFAULT_BOT_PATTERNS = ["*[bot]", "*-bot", "*_bot", "bot-*", "ai-*", "*-ai", "*assistant*", "*copilot*", "*agent*"];

/** The toolkit's marker: created inside one of its components (URN type chain `…$assistant-identities:…`). */
export function underToolkitComponent(urn: string): boolean {
  const parts = urn.split("::");
  return parts.length >= 4 && parts[2].split("$").some((t) => t.startsWith("assistant-identities:"));
}

/** Recognised from the resource alone (its logical name, or the toolkit marker in its URN). */
function botByResource(r: RuleResource, patterns: readonly string[]): string | undefined {
  const name = r.name.toLowerCase();
  const hit = patterns.find((p) => globMatch(p.toLowerCase(), name));
  if (hit) return `resource name matches ${hit}`;
  if (underToolkitComponent(r.urn)) return "created by an assistant-identities component";
  return undefined;
}

/** Recognised from the grantee's username or team id/slug. */
function botByName(who: string, patterns: readonly string[]): string | undefined {
  const lower = who.toLowerCase();
  const hit = patterns.find((p) => globMatch(p.toLowerCase(), lower));
  return hit ? `matches ${hit}` : undefined;
}

export default resourceRule<Config>({
  id: "github-bot-least-privilege",
  title: "Ensure bot and assistant accounts do not administer GitHub repositories, teams or the organisation",
  description:
    "Flags admin or maintain repository permission, team maintainer role and organisation admin membership for accounts and " +
    "teams recognised as bots or AI assistants (configurable name patterns, or created by the toolkit's components).",
  rationale:
    "An assistant with admin or maintain can change branch protection, rulesets, secrets, webhooks and collaborators, i.e. " +
    "remove the very review gates that keep its own changes in check; a prompt-injected agent then rewrites its guardrails",
  remediation:
    "Give assistants push (or triage) on the repositories they work on and let branch protection require human review; " +
    "prefer a GitHub App with fine-grained repository permissions over a machine user.",
  standards: { nhi: ["NHI5", "NHI10"], agentic: ["ASI02", "ASI03"], maestro: ["L7", "L6"], csf: ["PR.AA-05"] },
  enforcementLevel: "mandatory",
  severity: "high",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      botPatterns: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: DEFAULT_BOT_PATTERNS,
        description: "Globs (case-insensitive) over usernames, team ids/slugs and resource names that identify bots and assistants.",
      },
      forbiddenRepositoryPermissions: {
        type: "array",
        items: { type: "string" },
        default: ["admin", "maintain"],
        description: "Repository permissions a bot must not hold.",
      },
    },
  },
  resourceTypes: Object.values(T),
  checkResource(r, ctx): Finding[] {
    const c = ctx.config;
    const p = r.props;
    const out: Finding[] = [];
    // Read the permission first: the grantee (often another resource's id) is read only when it matters.
    const repoGrant = (whoOf: () => unknown, perm: unknown, path: string, kind: "user" | "team") => {
      // The provider defaults permission to "push"; absent is fine.
      if (typeof perm !== "string" || !c.forbiddenRepositoryPermissions.includes(perm)) return;
      const byResource = botByResource(r, c.botPatterns);
      // When the resource already marks a bot, an unknown grantee (e.g. team.id at preview) does not matter.
      const whoS = byResource ? String(ctx.peek(() => toPlain(whoOf())) ?? "(unknown at preview)") : String(toPlain(whoOf()));
      const why = byResource ?? botByName(whoS, c.botPatterns);
      if (!why) return;
      out.push({
        message: `must not give ${perm} on repository ${JSON.stringify(p.repository)} to ${kind === "team" ? "bot team" : "bot account"} ${JSON.stringify(whoS)} (${why}); got permission ${perm}`,
        path,
        value: perm,
        fix: "use permission push (or triage) and keep branch protection/rulesets under human admins",
        key: `${kind}:${whoS}:${perm}`,
      });
    };
    switch (r.type) {
      case T.collaborator:
        repoGrant(() => p.username, p.permission, "permission", "user");
        break;
      case T.teamRepo:
        repoGrant(() => p.teamId, p.permission, "permission", "team");
        break;
      case T.collaborators: {
        const users = (p.users ?? []) as Array<{ username: unknown; permission?: unknown }>;
        users.forEach((u, i) => repoGrant(() => u.username, u.permission, `users[${i}].permission`, "user"));
        const teams = (p.teams ?? []) as Array<{ teamId: unknown; permission?: unknown }>;
        teams.forEach((t, i) => repoGrant(() => t.teamId, t.permission, `teams[${i}].permission`, "team"));
        break;
      }
      case T.teamMembership:
      case T.teamMembers: {
        const members: Array<{ username: () => unknown; role?: unknown; path: string }> =
          r.type === T.teamMembership
            ? [{ username: () => p.username, role: p.role, path: "role" }]
            : ((p.members ?? []) as Array<{ username: unknown; role?: unknown }>).map((m, i) => ({ username: () => m.username, role: m.role, path: `members[${i}].role` }));
        for (const m of members) {
          if (m.role !== "maintainer") continue;
          const byResource = botByResource(r, c.botPatterns);
          const who = byResource ? String(ctx.peek(() => toPlain(m.username())) ?? "(unknown at preview)") : String(toPlain(m.username()));
          const why = byResource ?? botByName(who, c.botPatterns);
          if (why) {
            out.push({
              message: `must not make bot account ${JSON.stringify(who)} (${why}) a team maintainer; got role maintainer`,
              path: m.path,
              value: "maintainer",
              fix: "use role member; team maintainers can add members and change the team's repository access",
              key: `team-maintainer:${who}`,
            });
          }
        }
        break;
      }
      case T.membership: {
        if (p.role !== "admin") break;
        const byResource = botByResource(r, c.botPatterns);
        const who = byResource ? String(ctx.peek(() => toPlain(p.username)) ?? "(unknown at preview)") : String(toPlain(p.username));
        const why = byResource ?? botByName(who, c.botPatterns);
        if (why) {
          out.push({
            message: `must not make bot account ${JSON.stringify(who)} (${why}) an organisation owner; got role admin`,
            path: "role",
            value: "admin",
            fix: "use role member",
            key: `org-admin:${who}`,
          });
        }
        break;
      }
    }
    return out;
  },
});
