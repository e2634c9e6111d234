export * from "./cel";
export * from "./ids";
export * from "./provider";
export * from "./soundness";
export * from "./grants";
export * from "./plan";
