/**
 * Who can reach what: assistant → identity → target system/resource (and assistant → static
 * credential → external system), as Graphviz DOT, laid out to SVG by Graphviz itself
 * (@hpcc-js/wasm-graphviz: the real `dot` compiled to WASM, shipped in the package, no network).
 *
 * Which identity holds which access is not recorded per entry in the inventory; it is drawn from the
 * identity of the same cloud that holds grants: a service account or role rather than a federation
 * principal, which is drawn impersonating it (GCP WIF principal → service account). Access on a
 * system with no identity of that cloud is drawn straight from the assistant, dashed red.
 */
import type { AssistantEntry, Cloud, Identity, Inventory } from "../../core/inventory/schema";
import { instantOf } from "../../core/inventory/summary";
import { escapeDot, escapeHtml } from "./escape";

const FONT = "Helvetica,Arial,sans-serif";
/**
 * Graphviz (without system fonts in WASM) measures text with its built-in Helvetica metrics, about 9%
 * narrower than the Arial-metric fonts browsers use (Arial, Liberation Sans, Helvetica). Laying out at
 * full size and drawing text at this fraction keeps every label inside its box.
 */
export const TEXT_SCALE = 0.9;

export const CLOUD_STYLE: Record<Cloud, { label: string; fill: string; border: string }> = {
  aws: { label: "AWS", fill: "#fff7ed", border: "#c2410c" },
  gcp: { label: "Google Cloud", fill: "#eff6ff", border: "#1d4ed8" },
  github: { label: "GitHub", fill: "#f5f3ff", border: "#6d28d9" },
};

/** HTML-like label text: escaped, and clipped so one long ARN cannot make the graph unreadable. */
function h(s: string, max = 64): string {
  const t = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return escapeHtml(t);
}

/** The last readable part of an identity id: a role name, an SA email, a principal's subject. */
export function shortIdentity(id: Identity): string {
  const arn = /^arn:[^:]*:iam::\d*:role\/(.+)$/.exec(id.id);
  if (arn) return `role/${arn[1]}`;
  const principal = /\/(subject|attribute\.[^/]+)\/(.+)$/.exec(id.id);
  if (principal && id.id.startsWith("principal")) return `principal: ${principal[2]}`;
  return id.id;
}

function holders(ids: Array<{ node: string; identity: Identity }>): Array<{ node: string; identity: Identity }> {
  const granted = ids.filter((x) => !/principal/.test(x.identity.kind));
  return granted.length ? granted : ids;
}

function label(title: string, ...lines: Array<{ text: string; color?: string; size?: number }>): string {
  const rest = lines.map((l) => `<BR/><FONT POINT-SIZE="${l.size ?? 10}" COLOR="${l.color ?? "#475569"}">${l.text}</FONT>`).join("");
  return `<<B>${title}</B>${rest}>`;
}

export interface GraphOptions {
  /** Clock for "overdue" colouring of static credentials (default: the inventory's generatedAt). */
  now?: Date;
}

/** The graph as DOT source (pure). Node ids are generated (a0, a0i1, t3, …): no config string is ever an id. */
export function accessGraphDot(inv: Inventory, opts: GraphOptions = {}): string {
  const nowMs = (opts.now ?? new Date(inv.generatedAt)).getTime();
  const out: string[] = [];
  out.push("digraph access {");
  out.push(`  graph [rankdir=LR, bgcolor="transparent", nodesep=0.25, ranksep=0.9, pad=0.2, fontname="${FONT}", fontsize=10];`);
  out.push(`  node [shape=box, style="rounded,filled", fontname="${FONT}", fontsize=12, margin="0.2,0.08", penwidth=1.2, color="#94a3b8", fillcolor="#ffffff", fontcolor="#0f172a"];`);
  out.push(`  edge [fontname="${FONT}", fontsize=9, color="#64748b", fontcolor="#475569", arrowsize=0.6, penwidth=1.1];`);

  const targets = new Map<string, string>();
  const targetNodes: string[] = [];
  const targetNode = (system: string, target: string, external: boolean): string => {
    const key = `${external ? "x" : "t"}\u0000${system}\u0000${target}`;
    let id = targets.get(key);
    if (id) return id;
    id = `t${targets.size}`;
    targets.set(key, id);
    const style = (CLOUD_STYLE as Record<string, (typeof CLOUD_STYLE)[Cloud] | undefined>)[system];
    const sys = style ? style.label : system;
    targetNodes.push(
      `  ${id} [id="target-${id}", class="target", shape=box, style="${external ? "filled,dashed" : "filled"}", fillcolor="#ffffff", color="${style?.border ?? "#b45309"}", label=${label(h(target, 56), { text: h(external ? `${sys} (static credential)` : sys) })}];`,
    );
    return id;
  };

  const assistantNodes: string[] = [];
  inv.assistants.forEach((a: AssistantEntry, ai) => {
    const an = `a${ai}`;
    assistantNodes.push(an);
    const status = a.revoked ? "REVOKED" : instantOf(a.expires) <= nowMs ? "EXPIRED" : `until ${a.expires}`;
    const dead = a.revoked || instantOf(a.expires) <= nowMs;
    out.push(
      `  ${an} [id="assistant-${ai}", class="assistant", shape=box, style="rounded,filled,bold", fillcolor="${dead ? "#7f1d1d" : "#0f2a4a"}", color="${dead ? "#7f1d1d" : "#0f2a4a"}", fontcolor="#ffffff", margin="0.24,0.1", label=${label(
        h(a.name, 40),
        { text: h(`${a.environment} · ${a.owner.team}`), color: "#cbd5e1" },
        { text: h(status), color: dead ? "#fecaca" : "#cbd5e1" },
      )}];`,
    );
    const edgeStyle = dead ? `, style=dashed, color="#b91c1c"` : "";

    const byCloud = new Map<Cloud, Array<{ node: string; identity: Identity }>>();
    a.identities.forEach((id, ii) => {
      const list = byCloud.get(id.cloud) ?? [];
      list.push({ node: `a${ai}i${ii}`, identity: id });
      byCloud.set(id.cloud, list);
    });
    // An identity reached by impersonation (a service account behind a WIF principal) is not assumed directly.
    const impersonated = new Set<string>();
    for (const ids of byCloud.values()) {
      const hs = holders(ids);
      if (hs.length < ids.length) for (const x of hs) impersonated.add(x.node);
    }
    a.identities.forEach((id, ii) => {
      const n = `a${ai}i${ii}`;
      const st = CLOUD_STYLE[id.cloud];
      out.push(
        `  ${n} [id="identity-${n}", class="identity", fillcolor="${st.fill}", color="${st.border}", tooltip="${escapeDot(`${id.id} · subject ${id.subject} · audience ${id.audience}`)}", label=${label(h(shortIdentity(id), 48), {
          text: h(`${st.label} · ${id.kind} · ${Math.round(id.maxSessionSeconds / 60)} min`),
        })}];`,
      );
      if (!impersonated.has(n)) out.push(`  ${an} -> ${n} [label="assumes"${edgeStyle}];`);
    });
    for (const ids of byCloud.values()) {
      const hs = holders(ids);
      for (const p of ids.filter((x) => !hs.includes(x))) for (const x of hs) out.push(`  ${p.node} -> ${x.node} [label="impersonates", style=dashed${dead ? `, color="#b91c1c"` : ""}];`);
    }
    for (const acc of a.access) {
      const t = targetNode(acc.system, acc.target, false);
      const lbl = `${acc.actions.length} ${acc.actions.length === 1 ? "action" : "actions"} · until ${acc.expires.slice(0, 10)}`;
      const from = byCloud.get(acc.system);
      if (from) for (const x of holders(from)) out.push(`  ${x.node} -> ${t} [label="${escapeDot(lbl)}"${edgeStyle}];`);
      else out.push(`  ${an} -> ${t} [label="${escapeDot(`${lbl} · no identity`)}", style=dashed, color="#b91c1c"];`);
    }
    a.staticCredentials.forEach((c, ci) => {
      const n = `a${ai}c${ci}`;
      const overdue = !c.disabled && (instantOf(c.nextRotation) < nowMs || instantOf(c.exceptionExpires) <= nowMs);
      const state = c.disabled ? "disabled" : overdue ? "OVERDUE" : `rotate by ${c.nextRotation.slice(0, 10)}`;
      out.push(
        `  ${n} [id="credential-${n}", class="credential", shape=note, style="filled", fillcolor="${c.disabled ? "#f1f5f9" : overdue ? "#fee2e2" : "#fef3c7"}", color="${overdue ? "#b91c1c" : "#b45309"}", label=${label(
          h(c.id, 40),
          { text: h(`static · ${c.store}`) },
          { text: h(state), color: overdue ? "#b91c1c" : "#475569" },
        )}];`,
      );
      out.push(`  ${an} -> ${n} [label="holds", style=dashed${c.disabled ? `, color="#cbd5e1"` : ""}];`);
      out.push(`  ${n} -> ${targetNode(c.system, c.system, true)} [style=dashed${c.disabled ? `, color="#cbd5e1"` : ""}];`);
    });
  });
  out.push(...targetNodes);
  if (assistantNodes.length) out.push(`  { rank=source; ${assistantNodes.join("; ")}; }`);
  out.push("}");
  return out.join("\n");
}

type GraphvizInstance = { dot(src: string, format?: "svg"): string };
let graphviz: Promise<GraphvizInstance> | undefined;

/** Load Graphviz (WASM, once per process). */
export function loadGraphviz(): Promise<GraphvizInstance> {
  if (!graphviz) {
    graphviz = import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load() as Promise<GraphvizInstance>);
    graphviz.catch(() => (graphviz = undefined));
  }
  return graphviz;
}

/** Graphviz's SVG made fit to inline in HTML: no XML prolog, doctype or comments; scales to its container. */
export function inlineSvg(svg: string, title: string): string {
  let s = svg
    .replace(/<\?xml[\s\S]*?\?>/g, "")
    .replace(/<!DOCTYPE[\s\S]*?>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .trim();
  s = s.replace(/font-size="([\d.]+)"/g, (_m, n: string) => `font-size="${(Number(n) * TEXT_SCALE).toFixed(2)}"`);
  s = s.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const w = /\bwidth="([\d.]+)pt"/.exec(attrs)?.[1];
    const cleaned = attrs.replace(/\s(width|height)="[^"]*"/g, "");
    const maxw = w ? ` style="max-width:${Math.ceil(Number(w) * 1.333)}px"` : "";
    return `<svg${cleaned} class="access-graph" role="img" aria-label="${escapeHtml(title)}"${maxw}>`;
  });
  return s;
}

/** The access graph as inline SVG. */
export async function renderAccessGraphSvg(inv: Inventory, opts: GraphOptions = {}): Promise<string> {
  const gv = await loadGraphviz();
  return inlineSvg(gv.dot(accessGraphDot(inv, opts)), `Access graph of ${inv.project}/${inv.stack}`);
}
