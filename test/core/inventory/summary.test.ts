import { summarize } from "../../../core/inventory/summary";
import { SAMPLE_NOW, sampleInventory } from "./sample";

describe("summarize", () => {
  const s = summarize(sampleInventory(), SAMPLE_NOW);

  it("counts assistants, identities, access and credentials", () => {
    expect(s.assistants).toBe(3);
    expect(s.revokedAssistants).toBe(1);
    expect(s.expiredAssistants).toBe(0);
    expect(s.identities).toBe(5);
    expect(s.identitiesByCloud).toEqual({ aws: 2, gcp: 2, github: 1 });
    expect(s.accessTargets).toBe(5);
    expect(s.grantedActions).toBe(3 + 4 + 2 + 2 + 5);
    expect(s.staticCredentials).toBe(2);
    expect(s.activeStaticCredentials).toBe(2);
  });

  it("finds overdue rotations and exceptions expiring within 30 days", () => {
    expect(s.overdueRotations).toEqual([
      expect.objectContaining({ assistant: "docs-writer", credential: "confluence-api-token", due: "2026-10-31", days: -15 }),
    ]);
    // npm-publish-token's rotation (2026-11-30) is due but not overdue; its exception (2027-01-31) is outside the window.
    expect(s.expiringExceptions).toEqual([expect.objectContaining({ credential: "confluence-api-token", due: "2026-12-05", days: 20 })]);
    expect(s.expiredExceptions).toEqual([]);
    expect(s.expiringAssistants).toEqual([{ assistant: "docs-writer", expires: "2026-12-01", days: 16 }]);
    expect(s.assistantsWithoutAuditLogs).toEqual(["docs-writer"]);
  });

  it("counts findings by level and severity", () => {
    expect(s.findings).toBe(4);
    expect(s.findingsByLevel).toEqual({ mandatory: 2, advisory: 2 });
    expect(s.findingsBySeverity).toEqual({ critical: 1, high: 1, medium: 1, low: 1 });
  });

  it("depends only on the inventory and now", () => {
    const later = summarize(sampleInventory(), new Date("2027-02-01T00:00:00Z"));
    expect(later.expiredAssistants).toBe(1);
    expect(later.overdueRotations.map((x) => x.credential)).toEqual(["confluence-api-token", "npm-publish-token"]);
    expect(later.expiredExceptions.map((x) => x.credential)).toEqual(["confluence-api-token", "npm-publish-token"]);
    expect(summarize(sampleInventory(), SAMPLE_NOW)).toEqual(s);
  });

  it("ignores disabled credentials for due dates but still counts them", () => {
    const inv = sampleInventory();
    inv.assistants[1].staticCredentials[0].disabled = true;
    const d = summarize(inv, SAMPLE_NOW);
    expect(d.staticCredentials).toBe(2);
    expect(d.activeStaticCredentials).toBe(1);
    expect(d.overdueRotations).toEqual([]);
    expect(d.expiringExceptions).toEqual([]);
  });

  it("rejects an invalid clock", () => {
    expect(() => summarize(sampleInventory(), new Date("nope"))).toThrow(/now/);
  });
});
