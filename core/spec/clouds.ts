/**
 * Cross-cloud checks on a parsed spec: the GCP plans fail closed (unsound conditions, bad ids),
 * GitHub plans are buildable, and the subject GitHub will issue is exactly what AWS trusts and
 * what GCP's condition admits. Problems come back as SpecErrors at the assistant's config path.
 */
import { awsFederation } from "../oidc/subjects";
import { gcpAssistantPlan, gcpFederationPlan, gcpFindings, type GcpStackInput } from "../gcp/plan";
import { checkAgreement } from "../github/agreement";
import { githubPlan } from "../github/plan";
import type { SpecError } from "./errors";
import type { StackSpec } from "./schema";

export function gcpStackInput(spec: StackSpec, stack: string): GcpStackInput | undefined {
  return spec.platform.gcp ? { namePrefix: spec.platform.namePrefix, stack, gcp: spec.platform.gcp } : undefined;
}

export function cloudErrors(spec: StackSpec, stack: string): SpecError[] {
  const errors: SpecError[] = [];
  const gs = gcpStackInput(spec, stack);
  for (const f of gcpFindings(spec.assistants, gs)) errors.push({ path: f.path ?? "platform.gcp", message: `${f.message} (fix: ${f.fix})` });
  if (errors.length) return errors;
  const federation = gs && spec.assistants.some((a) => a.gcp) ? gcpFederationPlan(spec.assistants, gs) : undefined;

  const installations = new Map<string, number>();
  spec.assistants.forEach((a, i) => {
    const p = `assistants[${i}]`;
    if (a.github) {
      const id = a.github.app?.installationId;
      if (id !== undefined) {
        const other = installations.get(String(id));
        if (other !== undefined) {
          errors.push({ path: `${p}.github.app.installationId`, message: `installation ${id} is already managed for assistants[${other}]: one GitHub App installation per assistant (its repository set is managed whole)` });
        } else installations.set(String(id), i);
      }
      try {
        githubPlan({ ...a, github: a.github }, { namePrefix: spec.platform.namePrefix, hasAws: !!a.aws, hasGcp: !!a.gcp, gcpServiceAccount: a.gcp?.mode !== "direct" });
      } catch (e) {
        errors.push({ path: `${p}.github`, message: (e as Error).message });
      }
    }
    if (a.source.kind !== "github-actions" || (!a.aws && !a.gcp && !a.github)) return;
    const fed = a.aws ? awsFederation(a.source) : undefined;
    const gcpPlan = a.gcp && gs ? gcpAssistantPlan(a, gs) : undefined;
    const provider = gcpPlan && federation?.providers.find((x) => x.name === gcpPlan.providerName);
    const r = checkAgreement({
      source: a.source,
      github: a.github,
      aws: fed && { trustedSubjects: [fed.subject], subjectIsPattern: fed.subjectIsPattern, extraClaims: fed.extraClaims },
      // A revoked assistant's clause leaves its provider's condition on purpose: GCP must no longer admit it.
      gcp: provider && gcpPlan && !a.revoked ? { attributeCondition: provider.attributeCondition, principal: gcpPlan.principal } : undefined,
    });
    for (const prob of r.problems) {
      errors.push({ path: `${p}.${prob.path ?? "source"}`, message: `${prob.message} (fix the ${prob.side} side: ${prob.fix})` });
    }
  });
  return errors;
}
