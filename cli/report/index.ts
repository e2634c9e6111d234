export { renderMarkdown, sortFindings, verdict } from "./markdown";
export type { ReportOptions } from "./markdown";
export { renderHtml, REPORT_CSP } from "./html";
export { accessGraphDot, renderAccessGraphSvg, loadGraphviz, shortIdentity } from "./graph";
export { escapeHtml, escapeMarkdown, escapeDot, markdownCode } from "./escape";
