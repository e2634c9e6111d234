import { standardIds, standardsLine, standardsMatrix, type StandardsRow } from "../../core/standards";

const rows: StandardsRow[] = [
  { id: "rule-a", enforcementLevel: "mandatory", standards: { nhi: ["NHI5"], agentic: ["ASI03"], maestro: ["L4"], csf: ["PR.AA-05"] } },
  { id: "rule-b", enforcementLevel: "advisory", standards: { nhi: ["NHI7", "NHI5"], agentic: [], maestro: [], csf: [] } },
];

describe("standardsMatrix", () => {
  const text = standardsMatrix(rows);
  const lines = text.split("\n");

  test("one row per rule, ids with their titles, '—' where a rule maps to nothing", () => {
    expect(lines.slice(0, 4)).toEqual([
      "| rule | level | OWASP NHI Top 10 (2025) | OWASP Agentic (ASI) | CSA MAESTRO layer | NIST CSF 2.0 |",
      "|---|---|---|---|---|---|",
      "| `rule-a` | mandatory | NHI5 Overprivileged NHI | ASI03 Identity and Privilege Abuse | L4 Deployment & Infrastructure | PR.AA-05 |",
      "| `rule-b` | advisory | NHI7 Long-Lived Secrets; NHI5 Overprivileged NHI | — | — | — |",
    ]);
  });

  test("the NIST CSF legend lists only the subcategories used", () => {
    const legend = lines.filter((l) => l.startsWith("- "));
    expect(legend).toEqual(["- PR.AA-05: Access permissions, entitlements, and authorizations are defined, managed, enforced, and reviewed, and incorporate least privilege"]);
  });

  test("coverage names every OWASP NHI and Agentic id, the rules that report it, and '—' for a gap", () => {
    const coverage = lines.slice(lines.indexOf("| id | title | rules |") + 2);
    expect(coverage).toHaveLength(10 + 3);
    expect(coverage).toContain("| NHI5 | Overprivileged NHI | `rule-a`, `rule-b` |");
    expect(coverage).toContain("| NHI7 | Long-Lived Secrets | `rule-b` |");
    expect(coverage).toContain("| NHI3 | Vulnerable Third-Party NHI | — |");
    expect(coverage).toContain("| ASI03 | Identity and Privilege Abuse | `rule-a` |");
    expect(coverage).toContain("| ASI10 | Rogue Agents | — |");
    expect(coverage[0]).toBe("| NHI1 | Improper Offboarding | — |");
  });
});

describe("standardIds and standardsLine", () => {
  test("flat ids and the message line, in NHI, Agentic, MAESTRO, CSF order", () => {
    expect(standardIds(rows[0].standards)).toEqual(["OWASP-NHI5", "OWASP-ASI03", "MAESTRO-L4", "NIST-CSF-PR.AA-05"]);
    expect(standardsLine(rows[0].standards)).toBe("OWASP NHI5 Overprivileged NHI; OWASP ASI03 Identity and Privilege Abuse; MAESTRO L4; NIST CSF PR.AA-05");
  });
});
