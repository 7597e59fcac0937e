#!/usr/bin/env node
// The `mm2-monitoring` command (`npx mm2-monitoring`). In a clone of the repository it runs the
// sources through tsx, so it works right after `npm ci` and never runs a stale compile; an
// installed package has no sources and runs its compiled dist/.
import { existsSync } from 'node:fs';

const sources = new URL('../src/bin.ts', import.meta.url);
let register;
if (existsSync(sources)) {
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    // tsx is a development dependency: without it, the compiled CLI.
  }
}
if (register) {
  register();
  await import(sources.href);
} else {
  await import('../dist/bin.js');
}
