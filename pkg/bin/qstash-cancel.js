#!/usr/bin/env node
// The command line (see `qstash-cancel --help`). Exits when the work is done rather than when
// idle connections close; stdout and stderr are synchronous for files and pipes on POSIX.
import { main } from '../lib/cli/main.js';

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exit(code);
