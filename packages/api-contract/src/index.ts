export * from "./common";
export * from "./errors";
export * from "./events";
export * from "./limits";
export * from "./messages";
export * from "./rooms";
export * from "./users";
