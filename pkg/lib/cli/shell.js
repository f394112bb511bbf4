// The follow-up commands the CLI prints (resume a stopped cancel, watch a started one): written
// so that pasting them into a POSIX shell runs this CLI the way the user started it, with every
// argument one word, whatever the service or a file put in it.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `arg` as one shell word: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The command line that runs this CLI with `args`, quoted for the shell. */
export function commandLine(env, args) {
  return [...howStarted(env), ...args].map(shellQuote).join(' ');
}

/**
 * The command as the user can run it again: `qstash-cancel` when that name is on PATH, `npx
 * qstash-cancel` when npx started it, else the path of this very bin (a local install).
 */
function howStarted(env) {
  const onPath = (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'qstash-cancel'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (onPath) return ['qstash-cancel'];
  if (env.npm_command === 'exec') return ['npx', 'qstash-cancel'];
  return [process.argv[1] ?? 'qstash-cancel'];
}
