/**
 * The pack entry: the ONLY module that constructs the PolicyPack (which starts the analyzer's gRPC
 * server and never returns). Never import it from tests or tools; use ./list and ./harness.
 *
 *   pulumi preview --policy-pack policies [--policy-pack-config policy-config.json]
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./list";

new PolicyPack("assistant-guardrails", {
  description:
    "Guardrails for workload identities of AI coding assistants (and any other non-human identity): static credentials, " +
    "unpinned federation, overbroad grants, rotation, session length, identity reuse. Mapped to OWASP NHI Top 10, OWASP " +
    "Agentic (ASI), CSA MAESTRO and NIST CSF 2.0.",
  enforcementLevel: "advisory",
  policies,
});
