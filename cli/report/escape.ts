/**
 * Escaping for every string that comes from configuration (names, purposes, ARNs, messages) before it
 * lands in HTML, Markdown or Graphviz DOT.
 */

const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Text and attribute values (quoted) in HTML. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => HTML[c]);
}

/**
 * Text inside a Markdown table cell or paragraph: HTML special characters become entities (GitHub and
 * most renderers pass raw HTML through), Markdown punctuation is backslash-escaped, pipes cannot
 * break the table, and newlines become spaces.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}\[\]()#+!|~]/g, (c) => `\\${c}`);
}

/** Inline code in Markdown: a code span whose fence is longer than any backtick run inside. */
export function markdownCode(value: unknown): string {
  const s = String(value).replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A Graphviz escString inside double quotes: backslashes and quotes escaped, newlines dropped. */
export function escapeDot(value: unknown): string {
  return String(value)
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"');
}
