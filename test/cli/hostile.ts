/** Inventories that try to break the renderers: markup in names, planted secret-looking values. */
import type { Inventory } from "../../core/inventory/schema";
import { sampleInventory } from "../core/inventory/sample";

export const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
export const PLANTED = "AKIAPLANTEDSECRET0001";
export const PLANTED_VALUES = [PLANTED, "ghp_PLANTEDplantedPLANTEDplanted000001", "-----BEGIN PRIVATE KEY-----PLANTED", "hunter2-PLANTED"];

/** Markup and Markdown/DOT metacharacters in every free-text field the config controls. */
export function hostileInventory(): Inventory {
  const inv = sampleInventory();
  inv.project = `proj ${XSS}`;
  const a = inv.assistants[0];
  a.name = `pr|reviewer ${XSS} "quoted" \\back\\slash \`tick\``;
  a.owner.team = `team</td></tr><tr><td>`;
  a.purpose = `purpose *bold* [link](https://evil.example) ${XSS}`;
  a.identities[0].subject = `repo:acme/x:ref:refs/heads/${XSS}`;
  a.access[0].target = `s3://bucket/${XSS}|pipe`;
  a.access[0].actions = [`s3:Get${XSS}`];
  inv.findings[3].assistant = a.name;
  inv.findings[3].message = `must not ${XSS}; got | pipe`;
  return inv;
}

/** Secret-looking values planted in fields the schema does not have (so the type system never sees them). */
export function plantedInventory(): Inventory {
  const inv = sampleInventory() as unknown as Record<string, any>;
  inv.assistants[1].staticCredentials[0].value = PLANTED_VALUES[0];
  inv.assistants[2].staticCredentials[0].secretString = PLANTED_VALUES[1];
  inv.assistants[0].identities[0].privateKey = PLANTED_VALUES[2];
  inv.assistants[0].audit.toolCalls.password = PLANTED_VALUES[3];
  inv.findings[0].value = PLANTED_VALUES[0];
  inv.secrets = { token: PLANTED_VALUES[1] };
  return inv as Inventory;
}

/** Patterns of real secret formats; none may appear in any output. */
export const SECRET_PATTERNS: RegExp[] = [
  /AKIA[0-9A-Z]{16}/,
  /gh[pousr]_[A-Za-z0-9]{20,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /xox[baprs]-[A-Za-z0-9-]{10,}/,
  /sk_live_[A-Za-z0-9]{10,}/,
  /PLANTED/,
];
