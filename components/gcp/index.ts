export * from "./federation";
export * from "./assistant-identity";
