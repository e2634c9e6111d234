export * from "./claims";
export * from "./agreement";
export * from "./plan";
