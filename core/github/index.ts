export * from "./claims";
export * from "./agreement";
