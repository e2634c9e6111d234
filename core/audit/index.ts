/**
 * Audit planning (pure): the AWS and GCP streams, their ready queries and the inventory fragment.
 */
import type { Audit, LogSink } from "../inventory/schema";

export * from "./aws";
export * from "./gcp";

/** One cloud's pair of sinks for one assistant. */
export interface CloudAudit {
  cloud: "aws" | "gcp";
  secretAccess: LogSink;
  toolCalls: LogSink;
}

/**
 * The inventory `audit` of an assistant. The inventory schema holds one sink per stream, so an
 * assistant present in both clouds gets both destinations joined with " | " and both queries
 * one after the other, each headed by its cloud.
 */
export function inventoryAudit(parts: CloudAudit[]): Audit {
  if (parts.length === 0) return {};
  if (parts.length === 1) return { secretAccess: parts[0].secretAccess, toolCalls: parts[0].toolCalls };
  const join = (k: "secretAccess" | "toolCalls"): LogSink => ({
    destination: parts.map((p) => `${p.cloud}: ${p[k].destination}`).join(" | "),
    query: parts.map((p) => `-- ${p.cloud}\n${p[k].query}`).join("\n\n"),
  });
  return { secretAccess: join("secretAccess"), toolCalls: join("toolCalls") };
}
