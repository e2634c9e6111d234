/**
 * Pins inventoryAudit (core/audit/index.ts) for an assistant present in one cloud only: its two
 * sinks pass through unchanged (no "<cloud>: " destination prefix, no "-- <cloud>" query header),
 * unlike the two-cloud join.
 */
import { inventoryAudit, type CloudAudit } from "../../../core/audit";

const AWS: CloudAudit = {
  cloud: "aws",
  secretAccess: { destination: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/sa", query: "SELECT eventName FROM sa" },
  toolCalls: { destination: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/tc", query: "SELECT eventName FROM tc" },
};
const GCP: CloudAudit = {
  cloud: "gcp",
  secretAccess: { destination: "projects/p/locations/global/buckets/ai-assistants-secret-access/views/_AllLogs", query: 'logName:"cloudaudit.googleapis.com"' },
  toolCalls: { destination: "projects/p/locations/global/buckets/ai-assistants-tool-calls/views/_AllLogs", query: "NOT x" },
};

describe("inventoryAudit: one cloud", () => {
  test("an aws-only assistant gets the aws sinks as they are", () => {
    expect(inventoryAudit([AWS])).toStrictEqual({
      secretAccess: { destination: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/sa", query: "SELECT eventName FROM sa" },
      toolCalls: { destination: "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/tc", query: "SELECT eventName FROM tc" },
    });
  });

  test("a gcp-only assistant gets the gcp sinks as they are", () => {
    expect(inventoryAudit([GCP])).toStrictEqual({
      secretAccess: { destination: "projects/p/locations/global/buckets/ai-assistants-secret-access/views/_AllLogs", query: 'logName:"cloudaudit.googleapis.com"' },
      toolCalls: { destination: "projects/p/locations/global/buckets/ai-assistants-tool-calls/views/_AllLogs", query: "NOT x" },
    });
  });
});
