/**
 * The HTML report in real headless Chromium (Debian's `chromium` package, installed by
 * .ci/install-chromium.sh) driven by playwright-core: it loads with no console error and no request
 * beyond the page itself, the Graphviz SVG is visible with a node per assistant, hostile config
 * cannot script the page, and a screenshot is written to out/report-test/.
 *
 * Without Chromium this suite FAILS (it does not skip): the report's browser check is part of the gate.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { pathToFileURL } from "url";
import { chromium, type Browser, type Page } from "playwright-core";
import { renderHtml } from "../../cli/report";
import { SAMPLE_NOW, sampleInventory } from "../core/inventory/sample";
import { hostileInventory } from "./hostile";
import { readPng } from "./png";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUT = join(__dirname, "..", "..", "out", "report-test");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. The report's browser test needs Debian's chromium package: run \`bash .ci/install-chromium.sh\` (or set CHROMIUM_PATH).`);
  }
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

async function load(html: string, name: string, viewport = { width: 1366, height: 900 }): Promise<Loaded> {
  if (!browser) throw new Error("Chromium did not start (see the beforeAll error)");
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.route("**/*", async (route) => {
    requests.push(route.request().url());
    if (route.request().url() === pathToFileURL(file).href) await route.continue();
    else await route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, errors, requests, dialogs };
}

describe("HTML report in headless Chromium", () => {
  let loaded: Loaded;
  beforeAll(async () => {
    loaded = await load(await renderHtml(sampleInventory(), { now: SAMPLE_NOW }), "report");
  }, 60_000);
  afterAll(async () => {
    await loaded?.page.close();
  });

  it("loads with no console error and fetches nothing but itself", async () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.requests).toHaveLength(1);
    expect(loaded.requests[0]).toMatch(/^file:.*report\.html$/);
    expect(await loaded.page.title()).toBe("AI assistant identity audit: assistant-identities / dev");
  });

  it("shows the access graph: visible SVG with one node per assistant, inside the graph", async () => {
    const { page } = loaded;
    const svg = page.locator("#access-graph svg.access-graph");
    await expect(svg.count()).resolves.toBe(1);
    expect(await svg.isVisible()).toBe(true);
    const box = (await svg.boundingBox())!;
    expect(box.width).toBeGreaterThan(600);
    expect(box.height).toBeGreaterThan(150);
    const nodes = page.locator("#access-graph svg g.node.assistant");
    expect(await nodes.count()).toBe(3);
    const names = await nodes.evaluateAll((els) => els.map((e) => (e.querySelector("text")?.textContent ?? "").trim()));
    expect(names.sort()).toEqual(["docs-writer", "pr-reviewer", "release-bot"]);
    for (let i = 0; i < 3; i++) {
      const n = nodes.nth(i);
      expect(await n.isVisible()).toBe(true);
      const b = (await n.boundingBox())!;
      expect(b.width).toBeGreaterThan(20);
      expect(b.x).toBeGreaterThanOrEqual(box.x - 1);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
    }
    expect(await page.locator("#access-graph svg g.node.identity").count()).toBe(5);
    // every label fits inside its node's outline, as the browser measures the text
    const overflowing = await page.locator("#access-graph svg g.node").evaluateAll((els) =>
      els.flatMap((n) => {
        const shape = n.querySelector("path, polygon") as SVGGraphicsElement | null;
        if (!shape) return ["(no shape)"];
        const sb = shape.getBBox();
        return Array.from(n.querySelectorAll("text"))
          .filter((t) => {
            const tb = t.getBBox();
            return tb.x < sb.x - 0.5 || tb.x + tb.width > sb.x + sb.width + 0.5;
          })
          .map((t) => t.textContent ?? "");
      }),
    );
    expect(overflowing).toEqual([]);
    expect(await page.locator("#access-graph svg g.edge").count()).toBeGreaterThan(8);
  });

  it("shows the one-minute summary and a table per assistant", async () => {
    const { page } = loaded;
    const metric = async (name: string) => (await page.locator(`.card[data-metric="${name}"] .value`).textContent())?.trim();
    expect(await metric("Assistants")).toBe("3");
    expect(await metric("Identities")).toBe("5");
    expect(await metric("Static credentials")).toBe("2");
    expect(await metric("Overdue rotations")).toBe("1");
    expect(await metric("Expiring exceptions")).toBe("1");
    expect(await metric("Findings")).toBe("4");
    expect(await page.locator(".verdict.fail").textContent()).toContain("2 mandatory findings");
    expect(await page.locator("section.assistant").count()).toBe(3);
    expect(await page.locator("section.assistant h3").allTextContents()).toEqual(["pr-reviewer", "docs-writer", "release-bot"]);
    expect(await page.locator("#assistant-section-0 table").count()).toBeGreaterThanOrEqual(4);
    // the cards sit in one row on a laptop-width screen
    const tops = await page.locator(".cards .card").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
  });

  it("writes a screenshot of sensible size with real content", async () => {
    const { page } = loaded;
    const top = join(OUT, "report.png");
    const full = join(OUT, "report-full.png");
    await page.screenshot({ path: top });
    await page.screenshot({ path: full, fullPage: true });
    const t = readPng(readFileSync(top));
    expect([t.width, t.height]).toEqual([1366, 900]);
    expect(t.distinctColors).toBeGreaterThan(50);
    expect(t.nonBackgroundShare).toBeGreaterThan(0.2);
    const f = readPng(readFileSync(full));
    expect(f.width).toBe(1366);
    expect(f.height).toBeGreaterThan(2000);
    expect(f.height).toBeLessThan(20000);
    expect(f.distinctColors).toBeGreaterThan(50);
    const g = join(OUT, "graph.png");
    await page.locator("#access-graph").screenshot({ path: g });
    const gi = readPng(readFileSync(g));
    expect(gi.width).toBeGreaterThan(600);
    expect(gi.distinctColors).toBeGreaterThan(20);
    expect(gi.nonBackgroundShare).toBeGreaterThan(0.02);
  });
});

describe("hostile configuration in headless Chromium", () => {
  it("cannot inject markup or script: no dialog, no error, text shows literally", async () => {
    const { page, errors, requests, dialogs } = await load(await renderHtml(hostileInventory(), { now: SAMPLE_NOW }), "report-hostile");
    try {
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toHaveLength(1);
      expect(await page.locator("script, img, iframe").count()).toBe(0);
      expect(await page.locator("h1").textContent()).toContain('<script>alert("x")</script>');
      expect(await page.locator("section.assistant").count()).toBe(3);
      expect(await page.locator("#access-graph svg g.node.assistant").count()).toBe(3);
    } finally {
      await page.close();
    }
  }, 60_000);
});
