#!/usr/bin/env node
'use strict';
// The `obskit` command. A spec is TypeScript and is loaded at run time, so the CLI runs its own sources the same
// way, through tsx's CommonJS loader: no build step, and `npx obskit` works right after `npm ci`.
require('tsx/cjs/api').register();
const { run } = require('./main.ts');

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
