#!/usr/bin/env node
// The `paperboy` executable. It loads the TypeScript sources through tsx so that
// operators never need a separate build step (`npm install` then `npm start`).
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

// Settings may live in .env beside the data; real environment variables win.
if (existsSync(".env")) process.loadEnvFile(".env");
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
