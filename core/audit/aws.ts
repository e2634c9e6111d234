/**
 * The AWS audit plan: every call made by an assistant session lands in exactly one of two
 * destinations, secret-and-key access or everything else (the assistant's tool calls), filtered
 * to assistant sessions at ingestion. Two mechanisms (docs/audit-trails.md says why):
 *
 * - `cloudtrail-lake` (default): two CloudTrail Lake event data stores. Their advanced event
 *   selectors filter management AND data events on `userIdentity.arn` (the assumed-role session
 *   ARN of each assistant role) and on eventSource / eventName: a field set only event data
 *   stores support for management events (trails accept eventCategory, eventSource, readOnly).
 * - `eventbridge-cloudwatch`: two EventBridge rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
 *   (without it a rule never sees read-only management events such as GetSecretValue) whose
 *   patterns match the session issuer's role ARN, each targeting its own CloudWatch log group.
 *
 * Pure: components/aws/audit.ts renders it.
 */
import type { SpecError } from "../spec/errors";
import type { AwsAuditPlatform } from "../spec/audit";
import { DATA_EVENT_TYPES } from "../spec/audit";
import { MANAGED_BY } from "../aws/plan";
import type { AwsScope } from "../aws/types";

/** Services whose secret/key reads go to the secret-access stream. */
export const SECRET_EVENT_SOURCES = ["kms.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "sts.amazonaws.com"] as const;
/** The calls that read a secret or a key, or start a session (all management events). */
export const SECRET_EVENT_NAMES = [
  "AssumeRole",
  "AssumeRoleWithSAML",
  "AssumeRoleWithWebIdentity",
  "AssumeRoot",
  "BatchGetSecretValue",
  "Decrypt",
  "GetParameter",
  "GetParameterHistory",
  "GetParameters",
  "GetParametersByPath",
  "GetSecretValue",
] as const;

/** Where an assistant's grants produce CloudTrail data events (everything else it calls is a management event or not logged). */
export const DATA_EVENT_TYPE_BY_GRANT: Readonly<Record<string, (typeof DATA_EVENT_TYPES)[number]>> = {
  "s3-read": "AWS::S3::Object",
  "s3-write": "AWS::S3::Object",
  "dynamodb-read": "AWS::DynamoDB::Table",
  "dynamodb-write": "AWS::DynamoDB::Table",
  "lambda-invoke": "AWS::Lambda::Function",
  "sqs-send": "AWS::SQS::Queue",
  "sqs-consume": "AWS::SQS::Queue",
  "sns-publish": "AWS::SNS::Topic",
};

/** An event data store takes at most 5 advanced event selectors; CloudTrail caps selector values at 500. */
export const LAKE_LIMITS = { selectors: 5, values: 500 } as const;
/** EventBridge rejects event patterns longer than this. */
export const EVENT_PATTERN_MAX = 4096;

export interface FieldSelector {
  field: string;
  equals?: string[];
  startsWiths?: string[];
  endsWiths?: string[];
  notEquals?: string[];
  notStartsWiths?: string[];
  notEndsWiths?: string[];
}

export interface EventSelector {
  name: string;
  fieldSelectors: FieldSelector[];
}

export interface AuditAssistantRef {
  name: string;
  environment: string;
  roleName: string;
  /** The role ARN with its path (the session issuer). */
  roleArn: string;
  /** How far back the ready-made queries look. */
  lookbackDays: number;
}

export type StreamKey = "secret-access" | "tool-calls";

export interface AwsAuditStream {
  key: StreamKey;
  /** Event data store name, or EventBridge rule name. */
  name: string;
  description: string;
  retentionDays: number;
  /** cloudtrail-lake: the data store's advanced event selectors. */
  selectors: EventSelector[];
  /** eventbridge-cloudwatch: the rule's event pattern and its log group. */
  eventPattern?: Record<string, unknown>;
  logGroupName?: string;
}

export interface AwsAuditPlan {
  mechanism: AwsAuditPlatform["mechanism"];
  scope: AwsScope;
  assistants: AuditAssistantRef[];
  secretAccess: AwsAuditStream;
  toolCalls: AwsAuditStream;
  dataEventTypes: string[];
  kmsKeyArn?: string;
  tags: Record<string, string>;
}

/** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/`: every session of one role (the trailing '/' keeps ai-x-dev from matching ai-x-dev2). */
export function sessionArnPrefix(scope: AwsScope, roleName: string): string {
  return `arn:${scope.partition}:sts::${scope.accountId}:assumed-role/${roleName}/`;
}

/** `arn:aws:sts::ACCOUNT:assumed-role/PREFIX-`: sessions of every role the stack names with its prefix. */
export function stackSessionArnPrefix(scope: AwsScope, namePrefix: string): string {
  return `arn:${scope.partition}:sts::${scope.accountId}:assumed-role/${namePrefix}-`;
}

/** The data-event types the assistants' grants need, in DATA_EVENT_TYPES order. */
export function dataEventTypesFor(grantKinds: readonly string[]): string[] {
  const wanted = new Set(grantKinds.map((k) => DATA_EVENT_TYPE_BY_GRANT[k]).filter((t): t is (typeof DATA_EVENT_TYPES)[number] => !!t));
  return DATA_EVENT_TYPES.filter((t) => wanted.has(t));
}

function lakeSelectors(prefixes: string[], dataEventTypes: string[]): { secretAccess: EventSelector[]; toolCalls: EventSelector[] } {
  const sources = [...SECRET_EVENT_SOURCES];
  const names = [...SECRET_EVENT_NAMES];
  const mgmt: FieldSelector = { field: "eventCategory", equals: ["Management"] };
  const sessions: FieldSelector = { field: "userIdentity.arn", startsWiths: prefixes };
  return {
    secretAccess: [
      {
        name: "Assistant sessions reading secrets and keys, or assuming roles",
        fieldSelectors: [mgmt, { field: "eventSource", equals: sources }, { field: "eventName", equals: names }, sessions],
      },
      {
        // AssumeRoleWithWebIdentity is called by the workload before it has a session: its
        // userIdentity is a WebIdentityUser with no ARN, so it cannot be narrowed here; the
        // per-assistant query filters on requestParameters.roleArn.
        name: "Web-identity session starts (every role; queries filter by role)",
        fieldSelectors: [mgmt, { field: "eventSource", equals: ["sts.amazonaws.com"] }, { field: "eventName", equals: ["AssumeRoleWithWebIdentity"] }],
      },
    ],
    toolCalls: [
      { name: "Assistant sessions: management calls to every other service", fieldSelectors: [mgmt, { field: "eventSource", notEquals: sources }, sessions] },
      {
        name: "Assistant sessions: other calls to Secrets Manager, SSM, KMS and STS",
        fieldSelectors: [mgmt, { field: "eventSource", equals: sources }, { field: "eventName", notEquals: names }, sessions],
      },
      ...dataEventTypes.map((t) => ({
        name: `Assistant sessions: ${t} data events`,
        fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: [t] }, sessions],
      })),
    ],
  };
}

function eventPatterns(roleArns: string[]): { secretAccess: Record<string, unknown>; toolCalls: Record<string, unknown> } {
  const issuer = { sessionContext: { sessionIssuer: { arn: roleArns } } };
  const sources = [...SECRET_EVENT_SOURCES];
  const names = [...SECRET_EVENT_NAMES];
  return {
    secretAccess: {
      "detail-type": ["AWS API Call via CloudTrail"],
      $or: [
        { detail: { eventSource: sources, eventName: names, userIdentity: issuer } },
        { detail: { eventSource: ["sts.amazonaws.com"], eventName: ["AssumeRoleWithWebIdentity"], requestParameters: { roleArn: roleArns } } },
      ],
    },
    toolCalls: {
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        userIdentity: issuer,
        $or: [{ eventSource: [{ "anything-but": sources }] }, { eventName: [{ "anything-but": names }] }],
      },
    },
  };
}

function countValues(selectors: EventSelector[]): number {
  return selectors.reduce(
    (n, s) => n + s.fieldSelectors.reduce((m, f) => m + [f.equals, f.startsWiths, f.endsWiths, f.notEquals, f.notStartsWiths, f.notEndsWiths].reduce((k, v) => k + (v?.length ?? 0), 0), 0),
    0,
  );
}

export interface AwsAuditContext {
  namePrefix: string;
  scope: AwsScope;
  /** Grant kinds of every assistant (to derive the data-event types). */
  grantKinds: string[];
}

/** The plan, or the problems (with config paths). */
export function planAwsAudit(assistants: AuditAssistantRef[], settings: AwsAuditPlatform, ctx: AwsAuditContext): { plan?: AwsAuditPlan; errors: SpecError[] } {
  const errors: SpecError[] = [];
  if (assistants.length === 0) return { errors: [{ path: "platform.audit.aws", message: "expected at least one assistant with aws access to audit" }] };
  const sorted = [...assistants].sort((x, y) => x.roleName.localeCompare(y.roleName));
  const dataEventTypes = settings.dataEventTypes ?? dataEventTypesFor(ctx.grantKinds);
  if (dataEventTypes.length > LAKE_LIMITS.selectors - 2) {
    errors.push({
      path: "platform.audit.aws.dataEventTypes",
      message: `the assistants' grants produce data events of ${dataEventTypes.length} resource types (${dataEventTypes.join(", ")}); an event data store takes ${LAKE_LIMITS.selectors} selectors and the management partition uses 2: list at most 3 in dataEventTypes`,
    });
  }
  const perRole = sorted.map((a) => sessionArnPrefix(ctx.scope, a.roleName));
  const roleArns = sorted.map((a) => a.roleArn);
  // One prefix per role while the selectors fit CloudTrail's 500 values; past that (about 100
  // assistants), one prefix for the stack: every assistant role is named `<namePrefix>-…`.
  const fits = (ps: string[]) => {
    const sel = lakeSelectors(ps, dataEventTypes);
    return countValues(sel.secretAccess) <= LAKE_LIMITS.values && countValues(sel.toolCalls) <= LAKE_LIMITS.values;
  };
  const prefixes = fits(perRole) ? perRole : [stackSessionArnPrefix(ctx.scope, ctx.namePrefix)];
  const selectors = lakeSelectors(prefixes, dataEventTypes);
  const patterns = eventPatterns(roleArns);
  const base = `${ctx.namePrefix}-assistants`;
  const lake = settings.mechanism === "cloudtrail-lake";
  const stream = (key: StreamKey, what: string, retentionDays: number): AwsAuditStream => ({
    key,
    name: `${base}-${key}`,
    description: `${what} of AI assistant sessions (${sorted.length} role${sorted.length === 1 ? "" : "s"}), kept ${retentionDays} days`,
    retentionDays,
    selectors: lake ? (key === "secret-access" ? selectors.secretAccess : selectors.toolCalls) : [],
    ...(lake ? {} : { eventPattern: key === "secret-access" ? patterns.secretAccess : patterns.toolCalls, logGroupName: `/aws/events/${base}/${key}` }),
  });
  const plan: AwsAuditPlan = {
    mechanism: settings.mechanism,
    scope: ctx.scope,
    assistants: sorted,
    secretAccess: stream("secret-access", "Secret and key access (Secrets Manager, SSM parameters, KMS decrypt, STS assume)", settings.secretAccessRetentionDays),
    toolCalls: stream("tool-calls", "Every other call", settings.toolCallRetentionDays),
    dataEventTypes,
    ...(settings.kmsKeyArn ? { kmsKeyArn: settings.kmsKeyArn } : {}),
    tags: { "ai-purpose": "assistant-audit", "managed-by": MANAGED_BY },
  };
  for (const s of [plan.secretAccess, plan.toolCalls]) {
    if (lake) {
      if (s.selectors.length > LAKE_LIMITS.selectors) continue; // reported above
      const n = countValues(s.selectors);
      if (n > LAKE_LIMITS.values) errors.push({ path: "assistants", message: `the ${s.key} event data store needs ${n} selector values; CloudTrail allows ${LAKE_LIMITS.values}: split the assistants across stacks` });
    } else {
      const size = JSON.stringify(s.eventPattern).length;
      if (size > EVENT_PATTERN_MAX) errors.push({ path: "assistants", message: `the ${s.key} event pattern is ${size} characters; EventBridge allows ${EVENT_PATTERN_MAX}: split the assistants across stacks` });
    }
  }
  return errors.length ? { errors } : { plan, errors: [] };
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The event data store id a query names in FROM: the last segment of its ARN. */
export function eventDataStoreId(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** A ready CloudTrail Lake SQL query for one assistant's events in one stream. */
export function lakeQuery(plan: AwsAuditPlan, key: StreamKey, a: AuditAssistantRef, eventDataStoreArn: string): string {
  const prefix = sessionArnPrefix(plan.scope, a.roleName);
  const who =
    key === "secret-access"
      ? `(userIdentity.arn LIKE ${sqlString(`${prefix}%`)} OR (eventName = 'AssumeRoleWithWebIdentity' AND element_at(requestParameters, 'roleArn') = ${sqlString(a.roleArn)}))`
      : `userIdentity.arn LIKE ${sqlString(`${prefix}%`)}`;
  return [
    "SELECT eventTime, eventSource, eventName, errorCode, sourceIPAddress, userIdentity.arn AS principal, requestParameters",
    `FROM ${eventDataStoreId(eventDataStoreArn)}`,
    `WHERE eventTime > date_add('day', -${a.lookbackDays}, now())`,
    `  AND ${who}`,
    "ORDER BY eventTime DESC",
  ].join("\n");
}

/** A ready CloudWatch Logs Insights query for one assistant's events in one stream (eventbridge-cloudwatch). */
export function insightsQuery(key: StreamKey, a: AuditAssistantRef): string {
  const who =
    key === "secret-access"
      ? `detail.userIdentity.sessionContext.sessionIssuer.arn = ${JSON.stringify(a.roleArn)} or detail.requestParameters.roleArn = ${JSON.stringify(a.roleArn)}`
      : `detail.userIdentity.sessionContext.sessionIssuer.arn = ${JSON.stringify(a.roleArn)}`;
  return [
    "fields @timestamp, detail.eventSource, detail.eventName, detail.errorCode, detail.sourceIPAddress, detail.userIdentity.arn",
    `| filter ${who}`,
    "| sort @timestamp desc",
    "| limit 1000",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Selector semantics, for proving the partition (tests) and for reading a plan.
// ---------------------------------------------------------------------------------------------

/** The fields of a CloudTrail record the selectors read. */
export interface CloudTrailRecord {
  eventCategory: "Management" | "Data";
  eventSource: string;
  eventName: string;
  readOnly?: boolean;
  userIdentity: { arn?: string };
  resources?: Array<{ type: string; ARN?: string }>;
}

function fieldValues(r: CloudTrailRecord, field: string): Array<string | undefined> {
  switch (field) {
    case "eventCategory":
      return [r.eventCategory];
    case "eventSource":
      return [r.eventSource];
    case "eventName":
      return [r.eventName];
    case "readOnly":
      return [r.readOnly === undefined ? undefined : String(r.readOnly)];
    case "userIdentity.arn":
      return [r.userIdentity.arn];
    case "resources.type":
      return (r.resources ?? []).map((x) => x.type);
    case "resources.ARN":
      return (r.resources ?? []).map((x) => x.ARN);
    default:
      throw new Error(`unsupported selector field ${field}`);
  }
}

function fieldMatches(f: FieldSelector, values: Array<string | undefined>): boolean {
  const one = (v: string | undefined): boolean => {
    const positives = [f.equals, f.startsWiths, f.endsWiths].some((x) => x?.length);
    const pos =
      !positives ||
      (v !== undefined && ((f.equals ?? []).includes(v) || (f.startsWiths ?? []).some((p) => v.startsWith(p)) || (f.endsWiths ?? []).some((p) => v.endsWith(p))));
    const neg =
      v !== undefined &&
      ((f.notEquals ?? []).includes(v) || (f.notStartsWiths ?? []).some((p) => v.startsWith(p)) || (f.notEndsWiths ?? []).some((p) => v.endsWith(p)));
    return pos && !neg;
  };
  return values.some(one);
}

/** True when the record matches any selector (selectors OR, field selectors AND). */
export function selectsEvent(selectors: EventSelector[], r: CloudTrailRecord): boolean {
  return selectors.some((s) => s.fieldSelectors.every((f) => fieldMatches(f, fieldValues(r, f.field))));
}
