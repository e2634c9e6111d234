import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { accessGraphDot, escapeDot, escapeHtml, escapeMarkdown, markdownCode, renderAccessGraphSvg, renderHtml, renderMarkdown, REPORT_CSP } from "../../cli/report";
import { Inventory, parseInventory } from "../../core/inventory/schema";
import { SAMPLE_NOW, sampleInventory } from "../core/inventory/sample";
import { PLANTED, PLANTED_VALUES, SECRET_PATTERNS, XSS, hostileInventory, plantedInventory } from "./hostile";

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

/** Markdown table rows of a section: the cells between unescaped pipes. */
function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/);
}

describe("renderMarkdown", () => {
  const md = renderMarkdown(sampleInventory(), { now: SAMPLE_NOW });

  it("opens with the verdict and the one-minute summary", () => {
    expect(md).toMatch(/^# AI assistant identity audit: assistant-identities \/ dev\n/);
    expect(md).toContain("**FAIL: 2 mandatory findings block deployment**");
    expect(md).toContain("| Assistants | 3 (1 revoked, 0 expired, 1 expiring within 30 days) |");
    expect(md).toContain("| Identities | 5 (AWS 2, Google Cloud 2, GitHub 1) |");
    expect(md).toContain("| Static credentials | 2 (2 active) |");
    expect(md).toContain("| Overdue rotations | 1 |");
    expect(md).toContain("| Expiring exceptions | 1 within 30 days, 0 already expired |");
    expect(md).toContain("| Findings | 4: 2 mandatory, 2 advisory (1 critical, 1 high, 1 medium, 1 low) |");
  });

  it("lists due dates, findings by severity, and a section per assistant", () => {
    expect(md).toMatch(/\| docs-writer \| `confluence-api-token` \| rotation overdue \| 2026-10-31 \| 15 days ago \|/);
    expect(md).toMatch(/\| docs-writer \| `confluence-api-token` \| exception expiring \| 2026-12-05 \| in 20 days \|/);
    const findings = md.split("## Findings\n")[1].split("\n## ")[0];
    const order = findings.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Severity") && !l.startsWith("| ---")).map((l) => cellsOf(l)[2].trim());
    expect(order).toEqual(["`aws-trust-subject-pinned`", "`static-credential-rotation`", "`assistant-audit-logs`", "`session-duration`"]);
    expect(findings).toContain("OWASP-NHI5, OWASP-ASI03, MAESTRO-L4, NIST-CSF-PR.AA-05");
    expect(findings).toContain("`stacks/Pulumi.dev.yaml:42`");
    for (const name of ["pr-reviewer", "docs-writer", "release-bot"]) expect(md).toContain(`### ${name.replace(/-/g, "-")}\n`);
    expect(md).toContain("`arn:aws:iam::111122223333:role/ai-dev-pr-reviewer`");
    expect(md).toContain("`repo:acme/payments-api:environment:ai-review`");
    expect(md).toContain("`arn:aws:secretsmanager:eu-west-1:444455556666:secret:ai/prod/release-bot/npm-AbCdEf`");
    expect(md).toContain("| Status | **revoked** |");
    expect(md).toContain("| Sessions issued before | 2026-11-14T09:30:00Z are denied |");
    expect(md).toContain("| Secret access | **not configured** | — |");
    expect(md).toContain("_This report lists identities, grants and credential references only: it contains no secret values._");
  });

  it("keeps every table row's column count, whatever the config holds", () => {
    const hostile = renderMarkdown(hostileInventory(), { now: SAMPLE_NOW });
    const lines = hostile.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("| ---")) continue;
      const width = cellsOf(lines[i]).length;
      for (let j = i + 1; j < lines.length && lines[j].startsWith("|"); j++) expect([j, cellsOf(lines[j]).length]).toEqual([j, width]);
    }
  });

  it("escapes markup: no raw HTML from config survives", () => {
    const hostile = renderMarkdown(hostileInventory(), { now: SAMPLE_NOW });
    // Inside a code span raw text is inert (CommonMark renders it literally); everywhere else it must be escaped.
    const outsideCode = hostile.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
    expect(outsideCode).not.toMatch(/<script|<img|<\/td>/i);
    expect(hostile).toContain("`s3://bucket/<script>alert(\"x\")</script><img src=x onerror=alert(1)>\\|pipe`");
    expect(hostile).toContain("&lt;script&gt;");
    expect(hostile).not.toContain("[link](https://evil.example)");
  });
});

describe("renderHtml", () => {
  let html: string;
  beforeAll(async () => {
    html = await renderHtml(sampleInventory(), { now: SAMPLE_NOW });
  });

  it("is one self-contained page: inline CSS and SVG, no script, no external reference, a strict CSP", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toMatch(/default-src 'none'/);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|action|srcset)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.match(/<svg\b/g)).toHaveLength(1);
    expect(html).toContain('class="access-graph"');
  });

  it("shows the summary, the graph, the findings and a table per assistant", () => {
    const metric = (name: string) => new RegExp(`data-metric="${name}"><div class="label">${name}</div><div class="value">(\\d+)</div>`).exec(html)?.[1];
    expect(metric("Assistants")).toBe("3");
    expect(metric("Identities")).toBe("5");
    expect(metric("Static credentials")).toBe("2");
    expect(metric("Overdue rotations")).toBe("1");
    expect(metric("Expiring exceptions")).toBe("1");
    expect(html).toContain('<div class="value">4</div><div class="sub">2 mandatory · 2 advisory</div>');
    expect(html.match(/class="node assistant"/g)).toHaveLength(3);
    expect(html.match(/<section class="assistant"/g)).toHaveLength(3);
    for (const name of ["pr-reviewer", "docs-writer", "release-bot"]) expect(html).toContain(`<h3>${name}</h3>`);
    expect(html).toContain("FAIL: 2 mandatory findings block deployment");
  });

  it("escapes every config string (no markup from config reaches the page)", async () => {
    const page = await renderHtml(hostileInventory(), { now: SAMPLE_NOW });
    expect(page).not.toMatch(/<script|<img|team<\/td>/i);
    expect(page).toContain(escapeHtml(XSS));
    // inside the SVG too (Graphviz escapes its own text; labels are escaped before layout)
    const svg = page.slice(page.indexOf("<svg"), page.indexOf("</svg>"));
    expect(svg).not.toMatch(/<script|<img/i);
    expect(svg).toMatch(/&lt;script&gt;|&amp;lt;script/);
  });
});

describe("no secret value is ever rendered", () => {
  it("values planted in fields the schema does not have never reach the Markdown or HTML", async () => {
    const inv = plantedInventory();
    const outputs = [renderMarkdown(inv, { now: SAMPLE_NOW }), await renderHtml(inv, { now: SAMPLE_NOW }), accessGraphDot(inv)];
    for (const out of outputs) {
      for (const v of PLANTED_VALUES) expect(out).not.toContain(v);
      for (const p of SECRET_PATTERNS) expect(out).not.toMatch(p);
    }
    // and the schema refuses such an inventory outright, so `report` never gets one
    expect(() => parseInventory(inv)).toThrow(/Unrecognized key/i);
  });

  it("the sample's outputs contain no secret-shaped strings", async () => {
    const inv = sampleInventory();
    for (const out of [renderMarkdown(inv), await renderHtml(inv)]) for (const p of SECRET_PATTERNS) expect(out).not.toMatch(p);
    expect(PLANTED).toMatch(SECRET_PATTERNS[0]);
  });
});

describe("the renderers only read the inventory", () => {
  it("do not mutate it (deep-frozen input renders) and are deterministic", async () => {
    const inv = deepFreeze(sampleInventory());
    const before = JSON.stringify(inv);
    const md1 = renderMarkdown(inv);
    const html1 = await renderHtml(inv);
    expect(JSON.stringify(inv)).toBe(before);
    expect(renderMarkdown(sampleInventory())).toBe(md1);
    expect(await renderHtml(sampleInventory())).toBe(html1);
  });

  it("take their clock from the inventory unless given one", () => {
    const inv: Inventory = sampleInventory();
    expect(renderMarkdown(inv)).toBe(renderMarkdown(inv, { now: new Date(inv.generatedAt) }).replace(/ · evaluated as of [^·]+ /, " "));
    inv.generatedAt = "2027-02-01T00:00:00Z";
    expect(renderMarkdown(inv)).toContain("| Overdue rotations | 2 |");
  });

  it("import nothing that does I/O and read no ambient clock or environment", () => {
    const dir = join(__dirname, "..", "..", "cli", "report");
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
      const src = readFileSync(join(dir, f), "utf8");
      const imports = [...src.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
      for (const i of imports) expect([f, i]).toEqual([f, expect.stringMatching(/^(\.\/|\.\.\/\.\.\/core\/inventory\/|@hpcc-js\/wasm-graphviz$)/)]);
      expect(src).not.toMatch(/process\.env|Date\.now\(|new Date\(\)|require\(|fetch\(/);
    }
  });
});

describe("access graph", () => {
  it("has a node per assistant, identity, target and credential, with generated ids only", () => {
    const dot = accessGraphDot(sampleInventory());
    expect(dot.match(/class="assistant"/g)).toHaveLength(3);
    expect(dot.match(/class="identity"/g)).toHaveLength(5);
    expect(dot.match(/class="credential"/g)).toHaveLength(2);
    // 5 access targets + 2 external systems of static credentials
    expect(dot.match(/class="target"/g)).toHaveLength(7);
    for (const m of dot.matchAll(/^\s+(\S+) \[id=/gm)) expect(m[1]).toMatch(/^(a\d+(i\d+|c\d+)?|t\d+)$/);
    // the WIF principal impersonates the service account, which holds the grant
    expect(dot).toMatch(/a1i1 -> a1i0 \[label="impersonates"/);
    expect(dot).not.toMatch(/a1 -> a1i0 /);
    expect(dot).toMatch(/a1i0 -> t\d+ \[label="2 actions · until 2026-12-01"\]/);
  });

  it("shares a target reached by two assistants, and flags access with no identity", () => {
    const inv = sampleInventory();
    inv.assistants[2].access.push({ ...inv.assistants[0].access[0] });
    inv.assistants[2].access.push({ system: "gcp", target: "projects/x", resources: ["projects/x"], actions: ["roles/viewer"], expires: "2027-01-01" });
    const dot = accessGraphDot(inv);
    expect(dot.match(/class="target"/g)).toHaveLength(8);
    expect(dot).toMatch(/a2 -> t\d+ \[label="1 action · until 2027-01-01 · no identity", style=dashed/);
  });

  it("lays out to SVG with Graphviz (real layout: positioned nodes)", async () => {
    const svg = await renderAccessGraphSvg(sampleInventory());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/viewBox="0\.00 0\.00 [\d.]+ [\d.]+"/);
    expect(svg.match(/<g id="assistant&#45;\d+" class="node assistant">/g)).toHaveLength(3);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<!--/);
    const xs = [...svg.matchAll(/class="node assistant">[\s\S]*?<text[^>]* x="([\d.]+)"/g)].map((m) => Number(m[1]));
    const ys = [...svg.matchAll(/class="node assistant">[\s\S]*?<text[^>]* y="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
    expect(new Set(ys).size).toBe(3); // stacked: three distinct rows
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(40); // same rank (left column)
  });
});

describe("escapes", () => {
  it("HTML", () => expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;"));
  it("Markdown", () => {
    expect(escapeMarkdown("a|b *c* <d>\nnext")).toBe("a\\|b \\*c\\* &lt;d&gt; next");
    expect(markdownCode("x`y|z")).toBe("``x`y\\|z``");
  });
  it("DOT", () => expect(escapeDot('a"b\\c\nd')).toBe('a\\"b\\\\c d'));
});
