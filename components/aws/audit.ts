import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { insightsQuery, lakeQuery, type AwsAuditPlan, type AwsAuditStream, type CloudAudit } from "../../core/audit";
import { doc } from "../../core/aws/types";

export interface AwsAuditArgs {
  /** From core/audit planAwsAudit. */
  plan: AwsAuditPlan;
}

/**
 * The two AWS audit destinations, filtered to assistant sessions: CloudTrail Lake event data stores
 * (default), or EventBridge rules that receive read-only management events into CloudWatch log
 * groups. `assistants` gives, per `name/environment`, where each stream lands and a ready query.
 */
export class AwsAudit extends pulumi.ComponentResource {
  public readonly secretAccessDestination: pulumi.Output<string>;
  public readonly toolCallsDestination: pulumi.Output<string>;
  /** `name/environment` → the assistant's two sinks with ready queries. */
  public readonly assistants: Record<string, pulumi.Output<CloudAudit>>;

  constructor(name: string, args: AwsAuditArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:aws:Audit", name, {}, opts);
    const p = args.plan;
    const render = (s: AwsAuditStream): pulumi.Output<string> => {
      if (p.mechanism === "cloudtrail-lake") {
        const eds = new aws.cloudtrail.EventDataStore(
          `${name}-${s.key}`,
          {
            name: s.name,
            advancedEventSelectors: s.selectors,
            multiRegionEnabled: true,
            organizationEnabled: false,
            retentionPeriod: s.retentionDays,
            billingMode: "EXTENDABLE_RETENTION_PRICING",
            terminationProtectionEnabled: true,
            ...(p.kmsKeyArn ? { kmsKeyId: p.kmsKeyArn } : {}),
            tags: { ...p.tags, "ai-audit-stream": s.key },
          },
          { parent: this },
        );
        return eds.arn;
      }
      const group = new aws.cloudwatch.LogGroup(
        `${name}-${s.key}`,
        { name: s.logGroupName!, retentionInDays: s.retentionDays, ...(p.kmsKeyArn ? { kmsKeyId: p.kmsKeyArn } : {}), tags: { ...p.tags, "ai-audit-stream": s.key } },
        { parent: this },
      );
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${s.key}`,
        {
          name: s.name,
          description: s.description.slice(0, 512),
          eventPattern: JSON.stringify(s.eventPattern),
          // Without this state a rule never receives read-only management events (GetSecretValue, Decrypt, GetParameter).
          state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
          tags: { ...p.tags, "ai-audit-stream": s.key },
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(`${name}-${s.key}`, { rule: rule.name, arn: group.arn }, { parent: this });
      return group.arn;
    };
    this.secretAccessDestination = render(p.secretAccess);
    this.toolCallsDestination = render(p.toolCalls);

    if (p.mechanism === "eventbridge-cloudwatch") {
      const { partition, region, accountId } = p.scope;
      new aws.cloudwatch.LogResourcePolicy(
        `${name}-events-to-logs`,
        {
          policyName: `${p.secretAccess.name.replace(/-secret-access$/, "")}-events-to-logs`,
          policyDocument: JSON.stringify(
            doc([
              {
                Sid: "EventBridgeDeliversAssistantAudit",
                Effect: "Allow",
                Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [p.secretAccess, p.toolCalls].map((s) => `arn:${partition}:logs:${region}:${accountId}:log-group:${s.logGroupName}:*`),
                Condition: { ArnEquals: { "aws:SourceArn": [p.secretAccess, p.toolCalls].map((s) => `arn:${partition}:events:${region}:${accountId}:rule/${s.name}`) } },
              },
            ]),
          ),
        },
        { parent: this },
      );
    }

    this.assistants = {};
    for (const a of p.assistants) {
      this.assistants[`${a.name}/${a.environment}`] = pulumi
        .all([this.secretAccessDestination, this.toolCallsDestination])
        .apply(([secretArn, toolArn]): CloudAudit => ({
          cloud: "aws",
          secretAccess: { destination: secretArn, query: p.mechanism === "cloudtrail-lake" ? lakeQuery(p, "secret-access", a, secretArn) : insightsQuery("secret-access", a) },
          toolCalls: { destination: toolArn, query: p.mechanism === "cloudtrail-lake" ? lakeQuery(p, "tool-calls", a, toolArn) : insightsQuery("tool-calls", a) },
        }));
    }
    this.registerOutputs({ secretAccessDestination: this.secretAccessDestination, toolCallsDestination: this.toolCallsDestination });
  }
}
