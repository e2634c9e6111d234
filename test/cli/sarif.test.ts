import { createHash } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type * as Sarif from "sarif";
import { FINGERPRINT_KEY, SarifRule, isRelativeUri, toSarif } from "../../cli/sarif";
import { standardTitle } from "../../core/standards";
import type { FindingEntry } from "../../core/inventory/schema";
import { sampleInventory } from "../core/inventory/sample";

const SCHEMA_FILE = join(__dirname, "..", "fixtures", "sarif-schema-2.1.0.json");
const SCHEMA_SHA256 = "1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c";

function sarifValidator() {
  const text = readFileSync(SCHEMA_FILE, "utf8");
  expect(createHash("sha256").update(text).digest("hex")).toBe(SCHEMA_SHA256);
  // strict: false — the schema itself trips ajv's strictRequired lint (anyOf branches require properties they do not declare).
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(text));
}

const RULES: SarifRule[] = [
  {
    id: "aws-trust-subject-pinned",
    title: "Trust policies pin the exact OIDC subject",
    description: "A role that trusts an OIDC issuer must name one exact subject with StringEquals.",
    rationale: "A wildcard subject lets any repository or branch under the owner assume the role (OWASP NHI5).",
    remediation: "Use StringEquals with repo:OWNER/REPO:environment:NAME.",
    standards: ["OWASP-NHI5", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-05"],
    level: "mandatory",
    severity: "critical",
    helpUri: "https://example.com/rules/aws-trust-subject-pinned",
  },
  {
    id: "static-credential-rotation",
    title: "Static credentials are rotated on schedule",
    description: "Every static credential kept under an exception is rotated before its nextRotation date.",
    rationale: "Long-lived secrets leak (OWASP NHI7).",
    remediation: "Rotate the secret and record lastRotated.",
    standards: ["OWASP-NHI7", "MAESTRO-L4", "NIST-CSF-PR.AA-01"],
    level: "mandatory",
    severity: "high",
  },
  {
    id: "assistant-audit-logs",
    title: "Assistants log tool calls and secret access",
    description: "Each assistant names where its tool calls and secret reads are logged.",
    rationale: "Without logs a rogue agent goes unnoticed (OWASP ASI10).",
    remediation: "Add audit.toolCalls and audit.secretAccess.",
    standards: ["OWASP-ASI10", "MAESTRO-L5", "NIST-CSF-DE.CM-03", "NIST-CSF-PR.PS-04"],
    level: "advisory",
    severity: "medium",
  },
  {
    id: "unused-rule",
    title: "A rule with no findings",
    description: "Still listed: one descriptor per policy.",
    rationale: "Completeness.",
    remediation: "None.",
    standards: [],
    level: "disabled",
  },
];

const OPTS = { toolVersion: "0.1.0", informationUri: "https://example.com/assistant-identities", category: "assistant-identities/dev" };

function build(findings: FindingEntry[] = sampleInventory().findings, opts: Parameters<typeof toSarif>[2] = OPTS): Sarif.Log {
  // Round-trip through JSON: what is validated is what would be written to findings.sarif.
  return JSON.parse(JSON.stringify(toSarif(findings, RULES, opts)));
}

describe("toSarif", () => {
  const validate = sarifValidator();

  it("produces a log that validates against the SARIF 2.1.0 JSON schema", () => {
    const log = build();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the schema really rejects broken logs (the validator is not a no-op)", () => {
    const log = build() as any;
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
    const log2 = build() as any;
    delete log2.runs[0].tool.driver.name;
    expect(validate(log2)).toBe(false);
    const log3 = build() as any;
    log3.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log3)).toBe(false);
  });

  it("has one rule per policy, with help text and markdown", () => {
    const log = build();
    const rules = log.runs[0].tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(["aws-trust-subject-pinned", "static-credential-rotation", "assistant-audit-logs", "unused-rule", "session-duration"]);
    const r0 = rules[0];
    expect(r0.name).toBe("AwsTrustSubjectPinned");
    expect(r0.help!.text).toContain("Fix: Use StringEquals");
    expect(r0.help!.markdown).toContain("### How to fix");
    expect(r0.help!.markdown).toContain("OWASP NHI5 Overprivileged NHI");
    expect(r0.defaultConfiguration).toEqual({ enabled: true, level: "error" });
    expect(r0.properties!["security-severity"]).toBe("9.5");
    expect(r0.properties!.tags).toEqual(expect.arrayContaining(["security", "OWASP-NHI5", "NIST-CSF-PR.AA-05"]));
    expect(rules[2].defaultConfiguration!.level).toBe("warning");
    expect(rules[3].defaultConfiguration).toEqual({ enabled: false, level: "none" });
    // a finding whose rule is not in the list still gets a descriptor, so its ruleId resolves
    expect(rules[4].shortDescription!.text).toBe("Sessions are short");
  });

  it("maps mandatory to error and advisory to warning, and points at the stack file and line", () => {
    const log = build();
    const results = log.runs[0].results!;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["static-credential-rotation", "error"],
      ["assistant-audit-logs", "warning"],
      ["aws-trust-subject-pinned", "error"],
      ["session-duration", "warning"],
    ]);
    const loc = results[0].locations![0];
    expect(loc.physicalLocation!.artifactLocation!.uri).toBe("stacks/Pulumi.dev.yaml");
    expect(loc.physicalLocation!.region!.startLine).toBe(42);
    expect(loc.logicalLocations![0].fullyQualifiedName).toMatch(/^urn:pulumi:dev::/);
    expect(results[0].message.text).toMatch(/^must rotate .* Fix: Rotate the token/);
  });

  it("a finding without a location carries the resource URN as a logical location", () => {
    const log = build();
    const r = log.runs[0].results![2];
    expect(r.locations![0].physicalLocation).toBeUndefined();
    expect(r.locations![0].logicalLocations).toEqual([{ fullyQualifiedName: "urn:pulumi:dev::assistant-identities::aws:iam/role:Role::imported-legacy-role", kind: "resource" }]);
  });

  it("a scanned export can be the fallback file, at the line that mentions the URN", () => {
    const exportText = '{\n  "resources": [\n    {\n      "urn": "urn:pulumi:dev::assistant-identities::aws:iam/role:Role::imported-legacy-role"\n    }\n  ]\n}\n';
    const lineOf = (urn: string) => {
      const i = exportText.split("\n").findIndex((l) => l.includes(urn));
      return i < 0 ? undefined : i + 1;
    };
    const log = build(sampleInventory().findings, { ...OPTS, fallback: { file: "exports/dev stack.json", lineOf } });
    expect(validate(log)).toBe(true);
    const r = log.runs[0].results![2];
    expect(r.locations![0].physicalLocation!.artifactLocation!.uri).toBe("exports/dev%20stack.json");
    expect(r.locations![0].physicalLocation!.region!.startLine).toBe(4);
    // findings with their own location keep it
    expect(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe("stacks/Pulumi.dev.yaml");
  });

  it("makes absolute files relative to the repository root, and drops files outside it", () => {
    const f = sampleInventory().findings;
    (f[0].location as { file: string }).file = "/repo/stacks/Pulumi.dev.yaml";
    (f[1].location as { file: string }).file = "/elsewhere/Pulumi.dev.yaml";
    const log = build(f, { ...OPTS, repoRoot: "/repo" });
    const [r0, r1] = log.runs[0].results!;
    expect(r0.locations![0].physicalLocation!.artifactLocation!.uri).toBe("stacks/Pulumi.dev.yaml");
    expect(r1.locations![0].physicalLocation).toBeUndefined();
    expect(r1.locations![0].logicalLocations![0].fullyQualifiedName).toMatch(/^urn:pulumi:/);
  });

  it("fingerprints are stable across line moves and rewording, and distinct per finding", () => {
    const a = build();
    const moved = sampleInventory().findings.map((f) => ({ ...f, message: `${f.message} (reworded)`, location: f.location ? { ...f.location, line: f.location.line + 7 } : undefined }));
    const b = build(moved);
    const fa = a.runs[0].results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    const fb = b.runs[0].results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    expect(fb).toEqual(fa);
    expect(new Set(fa).size).toBe(fa.length);
    for (const fp of fa) expect(fp).toMatch(/^[0-9a-f]{32}:1$/);
    // two identical findings get distinct occurrences
    const f = sampleInventory().findings;
    const dup = build([f[2], f[2]]);
    expect(dup.runs[0].results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY].split(":")[1])).toEqual(["1", "2"]);
  });

  it("meets GitHub code scanning's documented constraints", () => {
    const log = build();
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs.length).toBeGreaterThanOrEqual(1);
    expect(log.runs.length).toBeLessThanOrEqual(20);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBeTruthy();
    expect(run.automationDetails!.id).toBe("assistant-identities/dev/");
    const ruleIds = new Set<string>();
    for (const r of run.tool.driver.rules!) {
      ruleIds.add(r.id);
      expect(r.id).toBeTruthy();
      expect((r.name ?? "").length).toBeLessThanOrEqual(255);
      expect(r.shortDescription!.text.length).toBeGreaterThan(0);
      expect(r.shortDescription!.text.length).toBeLessThanOrEqual(1024);
      expect(r.fullDescription!.text.length).toBeGreaterThan(0);
      expect(r.fullDescription!.text.length).toBeLessThanOrEqual(1024);
      expect(r.help!.text.length).toBeGreaterThan(0);
      expect((r.properties!.tags as string[]).length).toBeLessThanOrEqual(20);
      const sev = r.properties!["security-severity"];
      if (sev !== undefined) {
        expect(Number(sev)).toBeGreaterThan(0);
        expect(Number(sev)).toBeLessThanOrEqual(10);
      }
      expect(["very-high", "high", "medium", "low"]).toContain(r.properties!.precision);
    }
    expect(run.results!.length).toBeLessThanOrEqual(25000);
    for (const res of run.results!) {
      expect(res.ruleId).toBeTruthy();
      expect(ruleIds.has(res.ruleId!)).toBe(true);
      expect(run.tool.driver.rules![res.ruleIndex!].id).toBe(res.ruleId);
      expect((res.message.text ?? "").trim().length).toBeGreaterThan(0);
      expect(res.locations!.length).toBeGreaterThanOrEqual(1);
      expect(res.locations!.length).toBeLessThanOrEqual(10);
      expect(Object.keys(res.partialFingerprints!).length).toBeGreaterThan(0);
      for (const l of res.locations!) {
        if (!l.physicalLocation) continue;
        const uri = l.physicalLocation.artifactLocation!.uri!;
        expect(isRelativeUri(uri)).toBe(true);
        expect(l.physicalLocation.region!.startLine).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("clips long descriptions to GitHub's 1024-character limit and still validates", () => {
    const long = { ...RULES[0], description: "x".repeat(5000) };
    const log = JSON.parse(JSON.stringify(toSarif([], [long], OPTS))) as Sarif.Log;
    expect(log.runs[0].tool.driver.rules![0].fullDescription!.text.length).toBe(1024);
    expect(log.runs[0].results).toEqual([]);
    expect(validate(log)).toBe(true);
  });

  it("rejects duplicate rule ids", () => {
    expect(() => toSarif([], [RULES[0], RULES[0]], OPTS)).toThrow(/duplicate rule id/);
  });

  it("names the standards", () => {
    expect(standardTitle("OWASP-NHI7")).toBe("OWASP NHI7 Long-Lived Secrets");
    expect(standardTitle("OWASP-ASI03")).toBe("OWASP ASI03 Identity and Privilege Abuse");
    expect(standardTitle("MAESTRO-L4")).toBe("CSA MAESTRO L4 Deployment & Infrastructure");
    expect(standardTitle("NIST-CSF-PR.AA-05")).toMatch(/^NIST CSF 2.0 PR.AA-05: Access permissions/);
    expect(standardTitle("OTHER-1")).toBe("OTHER-1");
  });
});
