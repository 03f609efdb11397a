export { type ConsoleOptions, runConsole } from "./console.ts";
export { bold, readable, type TextStyle } from "./markdown.ts";
export { type ConsoleInput, missingRequired, type Options, parseLine } from "./parse.ts";
export { type Choice, type RenderedReply, renderReply } from "./render.ts";
