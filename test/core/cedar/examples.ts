/**
 * Example assistants with a `tools` section: the decision tables in this folder run against them,
 * and their `tools` blocks are what the lead adds to the example stacks (stacks/Pulumi.<stack>.yaml).
 */
import { AssistantTools, type AssistantToolsInput, type ToolAssistant } from "../../../core/spec/tools";

export const PR_REVIEWER_TOOLS: AssistantToolsInput = {
  maxSessionAgeSeconds: 3600,
  tools: [
    { action: "github:read", target: { repository: "acme/app" } },
    { action: "github:comment", target: { repository: "acme/app" }, description: "review comments on pull requests" },
    { action: "s3:read", target: { bucket: "acme-ci-reports", prefix: "coverage/" } },
    { action: "secret:read", target: { secret: "ci/sonar-token" }, requiresApproval: true },
    { action: "http:call", target: { url: "https://api.sonar.example/v1/", methods: ["GET"] } },
  ],
  forbiddenChains: [
    { name: "secret-then-egress", after: ["secret:read"], then: ["http:call", "github:comment"], reason: "a secret read in a task must not be followed by a call that can carry it out" },
  ],
};

export const DATA_ANALYST_TOOLS: AssistantToolsInput = {
  maxSessionAgeSeconds: 1800,
  tools: [
    { action: "db:query", target: { database: "analytics" } },
    { action: "db:query", target: { database: "scratch", access: "read-write" }, requiresTaskId: false },
    { action: "s3:write", target: { bucket: "acme-analytics-exports", prefix: "reports/daily/" }, requiresApproval: true },
    { action: "s3:read", target: { bucket: "acme-analytics-exports" } },
  ],
  forbiddenChains: [{ name: "query-then-export", after: ["db:query", "s3:read"], then: ["s3:write"] }],
};

export function assistant(name: string, tools: AssistantToolsInput, over: Partial<ToolAssistant> = {}): ToolAssistant {
  return { name, environment: "prod", expires: "2027-01-01", revoked: false, tools: AssistantTools.parse(tools), ...over };
}

export const PR_REVIEWER = assistant("pr-reviewer", PR_REVIEWER_TOOLS);
export const DATA_ANALYST = assistant("data-analyst", DATA_ANALYST_TOOLS, { environment: "stage", expires: "2026-12-01" });
