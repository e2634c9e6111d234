import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { bucketView, gcpQuery, type CloudAudit, type GcpAuditPlan, type GcpAuditStream } from "../../core/audit";

export interface GcpAuditArgs {
  /** From core/audit planGcpAudit. */
  plan: GcpAuditPlan;
  /** "Now" for the queries' time window (the program passes the run's instant). */
  now: Date;
}

/**
 * GCP audit trails, kept apart: Data Access audit logs for Secret Manager, IAM credentials and STS
 * (IAMAuditConfig is authoritative per service), and two log buckets fed by two sinks filtered to
 * the assistants' principals: secret access, and everything else.
 */
export class GcpAudit extends pulumi.ComponentResource {
  public readonly secretAccessDestination: pulumi.Output<string>;
  public readonly toolCallsDestination: pulumi.Output<string>;
  public readonly assistants: Record<string, pulumi.Output<CloudAudit>>;

  constructor(name: string, args: GcpAuditArgs, opts?: pulumi.ComponentResourceOptions) {
    super("assistant-identities:gcp:Audit", name, {}, opts);
    const p = args.plan;
    for (const c of p.auditConfigs) {
      new gcp.projects.IAMAuditConfig(
        `${name}-${c.service.split(".")[0]}`,
        { project: p.project, service: c.service, auditLogConfigs: c.logTypes.map((logType) => ({ logType })) },
        { parent: this },
      );
    }
    const render = (s: GcpAuditStream): pulumi.Output<string> => {
      const bucket = new gcp.logging.ProjectBucketConfig(
        `${name}-${s.key}`,
        { project: p.project, location: p.location, bucketId: s.bucketId, retentionDays: s.retentionDays, description: s.description },
        { parent: this },
      );
      new gcp.logging.ProjectSink(
        `${name}-${s.key}`,
        { project: p.project, name: s.sinkName, destination: s.destination, filter: s.filter, description: s.description, uniqueWriterIdentity: true },
        { parent: this, dependsOn: [bucket] },
      );
      return pulumi.output(s.destination);
    };
    this.secretAccessDestination = render(p.secretAccess);
    this.toolCallsDestination = render(p.toolCalls);
    this.assistants = {};
    for (const a of p.assistants) {
      const sink = (s: GcpAuditStream) => ({ destination: bucketView(p, s), query: gcpQuery(s, a, args.now) });
      this.assistants[`${a.name}/${a.environment}`] = pulumi.output<CloudAudit>({ cloud: "gcp", secretAccess: sink(p.secretAccess), toolCalls: sink(p.toolCalls) });
    }
    this.registerOutputs({ secretAccessDestination: this.secretAccessDestination, toolCallsDestination: this.toolCallsDestination });
  }
}
