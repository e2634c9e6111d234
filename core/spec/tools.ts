/**
 * The assistant's `tools` section: what it may do through its tool gateway, judged at request time
 * (core/cedar compiles this to a Cedar schema and policies; components/aws/verified-permissions.ts
 * provisions them in Amazon Verified Permissions).
 *
 * Identity and grants (schema.ts `aws`) bound what the assistant could ever reach; this section
 * bounds each call: one action (an intent such as `github:comment`) on one declared target, with
 * the task, session and approval in view, and without chaining actions that are dangerous together.
 *
 * ```yaml
 * tools:
 *   maxSessionAgeSeconds: 3600
 *   tools:
 *     - action: github:comment
 *       target: { repository: acme/app }
 *     - action: s3:read
 *       target: { bucket: acme-reports, prefix: reports/ }
 *     - action: db:query
 *       target: { database: analytics }            # access: read-only is the default
 *     - action: secret:read
 *       target: { secret: ci/npm-token }
 *       requiresApproval: true
 *     - action: http:call
 *       target: { url: https://api.vendor.example/v1/, methods: [GET] }
 *   forbiddenChains:
 *     - name: secret-then-egress
 *       after: [secret:read]
 *       then: [http:call]
 *       reason: a secret read in a task must never be followed by a call that leaves the company
 * ```
 *
 * Cross-field rules are in the `superRefine` below so the lead can wire `AssistantTools` into
 * `Assistant` as an optional field without touching validate.ts.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// The action catalogue: every action names the kind of target it applies to. Cedar entity types
// and request shapes are derived from this table (core/cedar/model.ts).
// ---------------------------------------------------------------------------------------------

export const TOOL_ACTIONS = [
  "github:read",
  "github:comment",
  "github:create-pull-request",
  "github:push",
  "s3:read",
  "s3:write",
  "db:query",
  "http:call",
  "secret:read",
] as const;
export type ToolAction = (typeof TOOL_ACTIONS)[number];

export type TargetKind = "github-repository" | "s3-prefix" | "database" | "http-endpoint" | "secret";

export const ACTION_TARGET: Record<ToolAction, TargetKind> = {
  "github:read": "github-repository",
  "github:comment": "github-repository",
  "github:create-pull-request": "github-repository",
  "github:push": "github-repository",
  "s3:read": "s3-prefix",
  "s3:write": "s3-prefix",
  "db:query": "database",
  "http:call": "http-endpoint",
  "secret:read": "secret",
};

const toolAction = z.enum(TOOL_ACTIONS, { message: `expected an action such as github:comment (one of ${TOOL_ACTIONS.join(", ")})` });

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

const repository = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, {
  message: "expected OWNER/REPO with no wildcard (e.g. acme/app)",
});
/** An S3 bucket name (3-63 of a-z 0-9 . -, no wildcard); also the AWS grants' `bucket` (core/spec/schema.ts). */
export const S3BucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "expected an S3 bucket name (3-63 of a-z 0-9 . -, no wildcard)" });
const bucket = S3BucketName;
const prefix = z
  .string()
  .regex(/^[^*?\s"\\]*$/, { message: "expected an S3 key prefix without '*', '?', quotes, backslashes or spaces (e.g. reports/)" })
  .refine((p) => !p.startsWith("/"), { message: "expected a key prefix without a leading '/'" })
  .refine((p) => !p.split("/").some((seg) => seg === ".." || seg === "."), { message: "expected a key prefix without '.' or '..' segments" });

export const GithubRepositoryTarget = z.object({ repository }).strict();
export const S3PrefixTarget = z.object({ bucket, prefix: prefix.default("") }).strict();
export const DatabaseTarget = z
  .object({
    /** The logical database the gateway connects to, e.g. `analytics` or `orders-pg/orders`. */
    database: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.\/-]{0,127}$/, { message: "expected a database name (letters, digits, _ . / -; no wildcard)" }),
    /** `read-only` (default): every query must be run read-only (the gateway says so in context.readOnly). */
    access: z.enum(["read-only", "read-write"], { message: "expected access to be read-only or read-write" }).default("read-only"),
  })
  .strict();

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export const HttpEndpointTarget = z
  .object({
    /**
     * An https URL prefix: scheme, exact host, optional port, path prefix. No query, fragment,
     * userinfo or wildcard. `https://api.vendor.example/v1/` allows `/v1/…` on that host only.
     */
    url: z
      .string()
      .regex(/^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?\/[A-Za-z0-9._~\/-]*$/, {
        message: "expected an https URL prefix with an exact lowercase host and a path ending the prefix, e.g. https://api.vendor.example/v1/ (no query, wildcard or userinfo)",
      })
      .refine((u) => !u.split("/").slice(3).some((seg) => seg === ".." || seg === "."), { message: "expected a URL path without '.' or '..' segments" }),
    /** HTTP methods allowed (default: all of GET HEAD POST PUT PATCH DELETE). */
    methods: z.array(z.enum(HTTP_METHODS, { message: `expected an HTTP method (${HTTP_METHODS.join(", ")})` })).min(1).optional(),
  })
  .strict();
export const SecretTarget = z
  .object({
    secret: z.string().regex(/^[A-Za-z0-9\/_+=.@-]{1,512}$/, { message: "expected a secret name (no wildcard)" }),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// A declared tool: one action on one target, with its request-time conditions.
// ---------------------------------------------------------------------------------------------

const flags = {
  /** The call must carry the task id it serves (default true: forbidden chains are judged per task). */
  requiresTaskId: z.boolean().default(true),
  /** The call must carry a human approval bound to the same task id (default false). */
  requiresApproval: z.boolean().default(false),
  /** Shown to reviewers, in the Verified Permissions policy description and in decision reasons. */
  description: z.string().min(1).max(150).optional(),
};

const tool = <A extends ToolAction, T extends z.ZodTypeAny>(action: A, target: T) =>
  z.object({ action: z.literal(action), target, ...flags }).strict();

export const Tool = z.discriminatedUnion(
  "action",
  [
    tool("github:read", GithubRepositoryTarget),
    tool("github:comment", GithubRepositoryTarget),
    tool("github:create-pull-request", GithubRepositoryTarget),
    tool("github:push", GithubRepositoryTarget),
    tool("s3:read", S3PrefixTarget),
    tool("s3:write", S3PrefixTarget),
    tool("db:query", DatabaseTarget),
    tool("http:call", HttpEndpointTarget),
    tool("secret:read", SecretTarget),
  ],
  { message: `expected tool.action to be one of ${TOOL_ACTIONS.join(", ")}` },
);

export const ForbiddenChain = z
  .object({
    /** Lowercase slug naming the chain (policy id `chain-<name>`). */
    name: z.string().regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { message: "expected a lowercase slug, e.g. secret-then-egress" }).max(48),
    /** Actions that, once ALL performed earlier in the task, forbid the `then` actions for the rest of the task. */
    after: z.array(toolAction).min(1, { message: "expected at least one prior action" }),
    /** Actions forbidden once every `after` action happened in the task. */
    then: z.array(toolAction).min(1, { message: "expected at least one forbidden follow-up action" }),
    reason: z.string().min(10, { message: "expected a reason of at least 10 characters" }).max(150).optional(),
  })
  .strict();

export const AssistantTools = z
  .object({
    tools: z.array(Tool).min(1, { message: "expected at least one declared tool (omit the tools section to declare none)" }),
    forbiddenChains: z.array(ForbiddenChain).default([]),
    /** Calls from a session older than this are denied (60 to 43200 seconds, default 3600). */
    maxSessionAgeSeconds: z.number().int().min(60, { message: "expected at least 60 seconds" }).max(43200, { message: "expected at most 43200 seconds (12 h)" }).default(3600),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Map<string, number>();
    t.tools.forEach((tl, i) => {
      const key = toolKey(tl);
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["tools", i], message: `must declare each action and target once; got ${key} again (first at tools[${first}])` });
      } else seen.set(key, i);
      if (tl.requiresApproval && !tl.requiresTaskId) {
        ctx.addIssue({
          code: "custom",
          path: ["tools", i, "requiresTaskId"],
          message: "must require a task id when approval is required (the approval is bound to the task id); got requiresTaskId: false",
        });
      }
    });
    const declared = new Set(t.tools.map((tl) => tl.action));
    const names = new Set<string>();
    t.forbiddenChains.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: "custom", path: ["forbiddenChains", i, "name"], message: `must name each chain once; got ${c.name} again` });
      names.add(c.name);
      c.then.forEach((a, j) => {
        if (!declared.has(a)) {
          ctx.addIssue({
            code: "custom",
            path: ["forbiddenChains", i, "then", j],
            message: `must forbid an action the assistant declares; got ${a}, which no tool declares (the chain could never apply)`,
          });
          return;
        }
        t.tools.forEach((tl, k) => {
          if (tl.action === a && !tl.requiresTaskId) {
            ctx.addIssue({
              code: "custom",
              path: ["tools", k, "requiresTaskId"],
              message: `must require a task id for ${a}: forbidden chain ${c.name} is judged on the task's prior actions; got requiresTaskId: false`,
            });
          }
        });
      });
    });
  });

export type ToolTarget =
  | z.infer<typeof GithubRepositoryTarget>
  | z.infer<typeof S3PrefixTarget>
  | z.infer<typeof DatabaseTarget>
  | z.infer<typeof HttpEndpointTarget>
  | z.infer<typeof SecretTarget>;
export type Tool = z.infer<typeof Tool>;
export type ForbiddenChain = z.infer<typeof ForbiddenChain>;
export type AssistantTools = z.infer<typeof AssistantTools>;
/** What a user writes (defaults not yet applied). */
export type AssistantToolsInput = z.input<typeof AssistantTools>;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export { HTTP_METHODS };

/**
 * The part of an assistant the tool layer reads. The lead wires `tools: AssistantTools.optional()`
 * into `Assistant`; until then anything with these fields works.
 */
export interface ToolAssistant {
  name: string;
  environment: string;
  /** YYYY-MM-DD: access ends at 00:00Z of this date. */
  expires: string;
  revoked: boolean;
  tools?: AssistantTools;
}

/** A stable text key of a declared tool's action and target, e.g. `s3:read s3://acme-reports/reports/`. */
export function toolKey(t: Tool): string {
  switch (t.action) {
    case "github:read":
    case "github:comment":
    case "github:create-pull-request":
    case "github:push":
      return `${t.action} github:${t.target.repository}`;
    case "s3:read":
    case "s3:write":
      return `${t.action} s3://${t.target.bucket}/${t.target.prefix}`;
    case "db:query":
      return `${t.action} db:${t.target.database}`;
    case "http:call":
      return `${t.action} ${t.target.url}`;
    case "secret:read":
      return `${t.action} secret:${t.target.secret}`;
  }
}
