export * from "./schema";
export * from "./summary";
