/**
 * The GCP plan of one static credential: a Secret Manager secret with `rotation.rotationPeriod`,
 * `nextRotationTime` (on the rotation grid, at least 300 s ahead) and a Pub/Sub topic the Secret
 * Manager service agent may publish to, readable only by the assistant's principal through one
 * `secretAccessor` binding whose IAM condition ends with the exception. Revoked (or the exception
 * ended): the binding is removed, the rotation schedule kept. Pure: components/gcp renders it.
 */
import { MANAGED_BY } from "../aws/plan";
import type { StaticCredential } from "../spec/credentials";
import { accessEndDay, credentialPlanBase, type CredentialPlanBase } from "./common";

export interface GcpCredentialContext {
  namePrefix: string;
  assistant: { name: string; environment: string; expires: string; revoked: boolean };
  /** The assistant's project (the secret's default project). */
  project: string;
  /** Number of the secret's project (names the Secret Manager service agent). */
  projectNumber: string;
  /** Who reads: `serviceAccount:EMAIL` or `principal://…/subject/SUB` (the assistant's GCP member). */
  member: string;
  now: Date;
}

export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";
export const PUBSUB_PUBLISHER_ROLE = "roles/pubsub.publisher";
/** Secret Manager refuses a nextRotationTime less than 300 s ahead. */
export const MIN_ROTATION_LEAD_SECONDS = 300;

export interface GcpIamCondition {
  title: string;
  description: string;
  expression: string;
}

export interface GcpCredentialPlan extends CredentialPlanBase {
  cloud: "gcp";
  project: string;
  secretId: string;
  /** projects/NUMBER/secrets/ID, the name Secret Manager reports. */
  secretName: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  rotation: { rotationPeriod: string; nextRotationTime: string };
  topicName: string;
  /** The Secret Manager service agent, which publishes rotation notifications. */
  publisherMember: string;
  /** The one reader, or null when reads are denied. */
  accessor: { role: string; member: string; condition: GcpIamCondition } | null;
  member: string;
}
const label = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);

export function planGcpCredential(c: StaticCredential, ctx: GcpCredentialContext): GcpCredentialPlan {
  if (c.store.kind !== "gcp-secretmanager") throw new Error(`static credential ${c.id} is not stored in gcp-secretmanager`);
  const a = ctx.assistant;
  const common = credentialPlanBase(c, a, ctx.now, { minLeadSeconds: MIN_ROTATION_LEAD_SECONDS });
  const { accessEndsAt, disabled, schedule } = common;
  const endDay = accessEndDay(c, a);
  const project = c.store.project ?? ctx.project;
  const secretId = `${ctx.namePrefix}-${a.name}-${a.environment}-${c.id}`.slice(0, 255);
  return {
    cloud: "gcp",
    ...common,
    project,
    secretId,
    secretName: `projects/${ctx.projectNumber}/secrets/${secretId}`,
    labels: {
      "ai-assistant": label(a.name),
      "ai-environment": label(a.environment),
      "ai-credential": label(c.id),
      "ai-credential-owner": label(c.owner.team),
      "ai-exception-expires": c.exceptionExpires,
      "ai-rotation-days": String(c.rotationDays),
      "managed-by": MANAGED_BY,
    },
    annotations: {
      "assistant-identities/system": c.system,
      "assistant-identities/owner-contact": c.owner.contact,
      "assistant-identities/justification": c.justification,
    },
    rotation: { rotationPeriod: `${c.rotationDays * 86400}s`, nextRotationTime: schedule.next },
    topicName: `${secretId}-rotation`.slice(0, 255),
    publisherMember: `serviceAccount:service-${ctx.projectNumber}@gcp-sa-secretmanager.iam.gserviceaccount.com`,
    accessor: disabled
      ? null
      : {
          role: SECRET_ACCESSOR_ROLE,
          member: ctx.member,
          condition: {
            title: `exception until ${endDay}`.slice(0, 100),
            description: `${a.name}: static credential ${c.id} (${c.system}), owner ${c.owner.team}; access ends ${accessEndsAt}`.slice(0, 256),
            expression: `request.time < timestamp(${JSON.stringify(accessEndsAt)})`,
          },
        },
    member: ctx.member,
  };
}
