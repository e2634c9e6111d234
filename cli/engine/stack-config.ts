/**
 * Reads `stacks/Pulumi.<stack>.yaml` the way the Pulumi CLI would hand it to the program: config
 * keys `project:key` → string values (objects as JSON). Keeps the YAML's line numbers so findings
 * can point at the line where an assistant is declared (SARIF, GitHub annotations).
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export const PROJECT = "assistant-identities";

export interface StackConfig {
  stack: string;
  /** Path of the YAML file, relative to the project root. */
  file: string;
  /** Fully qualified key → value as the Pulumi CLI passes config to a program. */
  config: Record<string, string>;
  /** The raw spec (platform + assistants) as written. */
  spec: { platform: unknown; assistants: unknown };
  /** 1-based line of a config path such as `assistants[2].aws.grants[0]` (the nearest existing node). */
  lineOf(configPath: string): number;
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

/**
 * Where the project's stack files sit, as the Pulumi CLI finds them: Pulumi.yaml's `stackConfigDir`,
 * else beside Pulumi.yaml. A folder without Pulumi.yaml keeps the example layout (`stacks/`).
 */
export function stackConfigDir(root: string): string {
  const project = path.join(root, "Pulumi.yaml");
  if (!fs.existsSync(project)) return path.join(root, "stacks");
  const doc = parseDocument(fs.readFileSync(project, "utf8"));
  if (doc.errors.length) throw new StackConfigError(`${project} is not valid YAML: ${doc.errors.map((e) => e.message.split("\n")[0]).join("; ")}`);
  const dir: unknown = isMap(doc.contents) ? doc.get("stackConfigDir") : undefined;
  if (dir === undefined || dir === null) return root;
  if (typeof dir !== "string" || dir.trim() === "") throw new StackConfigError(`${project}: stackConfigDir must be a folder path relative to Pulumi.yaml (e.g. stacks); got ${JSON.stringify(dir)}`);
  return path.resolve(root, dir);
}

export function stackFile(root: string, stack: string): string {
  return path.join(stackConfigDir(root), `Pulumi.${stack}.yaml`);
}

function splitPath(p: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] ?? m[1]);
  }
  return out;
}

/**
 * A config value as the program's `config.getObject` reads it: YAML structure as written, or a string
 * holding JSON (what `pulumi config set KEY '<json>'` stores) parsed. A string that is not JSON stays a
 * string, and the spec's validation says what was expected.
 */
function objectValue(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** A stack name the Pulumi CLI accepts (and that names one file in the stack folder); throws otherwise. */
export function checkStackName(stack: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new StackConfigError(`stack name "${stack}" is not valid: use letters, digits, '-', '_' or '.'`);
}

export function readStackConfig(root: string, stack: string): StackConfig {
  checkStackName(stack);
  const file = stackFile(root, stack);
  if (!fs.existsSync(file)) {
    const dir = path.dirname(file);
    const have = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)) : [];
    throw new StackConfigError(`no stack config at ${path.relative(root, file)}: create it, or pick one of ${have.join(", ") || "(none)"}`);
  }
  const text = fs.readFileSync(file, "utf8");
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length) {
    throw new StackConfigError(`${path.relative(root, file)} is not valid YAML: ${doc.errors.map((e) => e.message.split("\n")[0]).join("; ")}`);
  }
  const data = doc.toJS() as { config?: Record<string, unknown> } | null;
  if (!data || typeof data !== "object" || !data.config || typeof data.config !== "object") {
    throw new StackConfigError(`${path.relative(root, file)} has no top-level "config:" map: see stacks/Pulumi.dev.yaml for the layout`);
  }
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(data.config)) {
    const key = k.includes(":") ? k : `${PROJECT}:${k}`;
    if (v && typeof v === "object" && "secure" in (v as object) && key.startsWith(`${PROJECT}:`)) {
      throw new StackConfigError(`${path.relative(root, file)}: ${k} is a secure (encrypted) value; the assistant spec holds no secrets: write it in plain text`);
    }
    config[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const cfgNode = doc.get("config", true) as Node | undefined;
  const nodeFor = (key: string): Node | undefined => {
    if (!cfgNode || !isMap(cfgNode)) return undefined;
    return (cfgNode.get(`${PROJECT}:${key}`, true) ?? cfgNode.get(key, true)) as Node | undefined;
  };
  const rel = path.relative(root, file);
  return {
    stack,
    file: rel,
    config,
    spec: { platform: objectValue(data.config[`${PROJECT}:platform`] ?? data.config["platform"]), assistants: objectValue(data.config[`${PROJECT}:assistants`] ?? data.config["assistants"]) },
    lineOf(configPath: string): number {
      const [head, ...rest] = splitPath(configPath);
      let node: any = typeof head === "string" ? nodeFor(head) : undefined;
      let best = node?.range ? lineCounter.linePos(node.range[0]).line : cfgNode?.range ? lineCounter.linePos(cfgNode.range[0]).line : 1;
      for (const seg of rest) {
        if (!node || !(isMap(node) || isSeq(node))) break;
        const next = node.get(seg, true);
        if (!next) break;
        node = next;
        if (node.range) best = lineCounter.linePos(node.range[0]).line;
      }
      return best;
    },
  };
}
