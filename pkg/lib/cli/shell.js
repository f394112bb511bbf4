// The follow-up commands the CLI prints (resume a stopped cancel, watch a started one): written
// so that pasting them into a POSIX shell runs this CLI the way the user started it, with every
// argument one word, whatever the service or a file put in it.

import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `arg` as one shell word: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * A value the service made, as the words that give it to `flag` (or as an argument, without a
 * flag) however it starts: the parser takes a word that starts with "-" for a flag, so such a
 * value is written `--flag=value`, or after `--`.
 */
export function valueWords(value, flag) {
  if (!value.startsWith('-')) return flag ? [flag, value] : [value];
  return flag ? [`${flag}=${value}`] : ['--', value];
}

/** The command line that runs this CLI with `args`, quoted for the shell. */
export function commandLine(env, args) {
  return [...howStarted(env), ...args].map(shellQuote).join(' ');
}

/**
 * The command as the user can run it again: `npx qstash-cancel` when npx started it (npx puts
 * the package's bin folder on PATH for this process only, so the bare name would not be found
 * later), `qstash-cancel` when that name on PATH is this very bin (an installed one), else the
 * path this bin was started by (a local install, or `node path/to/bin`).
 */
function howStarted(env) {
  if (env.npm_command === 'exec') return ['npx', 'qstash-cancel'];
  const self = process.argv[1];
  const here = (path) => {
    try {
      accessSync(path, constants.X_OK);
      return realpathSync(path) === realpathSync(self);
    } catch {
      return false;
    }
  };
  if (self && (env.PATH ?? '').split(delimiter).some((dir) => dir && here(join(dir, 'qstash-cancel')))) return ['qstash-cancel'];
  return [self ?? 'qstash-cancel'];
}
