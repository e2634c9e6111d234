export * from "./assistant-access";
