// The command line's flags: one table drives the parser, the help text and the mapping from a
// refused option back to the flag that carried it.

/**
 * `[flag, option key or null, kind, help, short]`. Kinds: `string`, `strings` (repeatable),
 * `number`, `date` (ISO date or Unix milliseconds), `boolean`, `off` (a switch that sets the
 * option to false). `short` is the one-letter form, for the few flags typed most.
 */
export const FLAGS = [
  ['id', 'workflowRunIds', 'strings', 'a run id to cancel (repeatable)'],
  ['ids-from', 'workflowRunIds', 'string', 'a file of run ids (one per line, or separated by commas or spaces); - reads stdin'],
  ['workflow-url', 'workflowUrl', 'strings', 'runs whose workflow URL starts with this (repeatable)'],
  ['exact', 'workflowUrlExactMatch', 'boolean', 'match --workflow-url exactly'],
  ['label', 'label', 'strings', 'runs with this label (repeatable)'],
  ['from', 'fromDate', 'date', 'runs created from this time (ISO date, or Unix milliseconds)'],
  ['to', 'toDate', 'date', 'runs created up to this time (ISO date, or Unix milliseconds)'],
  ['caller-ip', 'callerIp', 'strings', 'runs triggered from this IP (repeatable)'],
  ['flow-control-key', 'flowControlKey', 'strings', 'runs with this flow-control key (repeatable)'],
  ['host', 'host', 'strings', 'runs whose workflow URL has this host, e.g. app.example.com (repeatable)'],
  ['path', 'path', 'strings', 'runs whose workflow URL has this path, e.g. /api/workflow (repeatable)'],
  ['all', 'all', 'boolean', 'cancel EVERY run of the account (asks for a typed confirmation)'],
  ['count', 'count', 'number', 'the most runs the whole command may cancel (filters and --all)'],
  ['encoding', 'encoding', 'string', '"query" (default) or "body"'],
  ['until-done', 'untilDone', 'boolean', 'repeat until a pass cancels nothing (the default for filters and --all)'],
  ['once', 'untilDone', 'off', 'one pass only: a filter cancel sends one request and says if more may match'],
  ['max-passes', 'maxPasses', 'number', 'a safety stop for repeating cancels (default 1000; reaching it is exit 8)'],
  ['max-requests', 'maxRequests', 'number', 'the most requests the command may send, retries and passes included (refused before sending if a list needs more)'],
  ['async', 'async', 'boolean', 'start a filter or --all cancel in the background and print its action id'],
  ['concurrency', 'concurrency', 'number', 'requests in flight for a long id list, 1 to 16 (default 4)'],
  ['timeout', 'timeoutMs', 'number', 'milliseconds one attempt may take (default 30000)'],
  ['deadline', 'deadlineMs', 'number', 'milliseconds the whole command may take'],
  ['retries', 'retry', 'number', 'retries of a failed request (default 5; 0 never retries)'],
  ['token-file', 'token', 'string', 'read the token from this file instead of QSTASH_TOKEN'],
  ['base-url', 'baseUrl', 'string', 'the service or proxy URL, instead of QSTASH_URL'],
  ['dry-run', null, 'boolean', 'print the request and an equivalent curl; send nothing'],
  ['yes', null, 'boolean', 'do not ask before a filter cancel', 'y'],
  ['yes-cancel-all', null, 'boolean', 'do not ask before --all (for scripts)'],
  ['json', null, 'boolean', 'print one JSON result on stdout'],
  ['failed-ids-to', null, 'string', 'where to write the ids not cancelled (default: a file in this folder)'],
  ['state', null, 'string', '(actions) in-progress or finished'],
  ['cursor', null, 'string', '(actions) list on from this cursor (printed when a listing stopped part-way)'],
  ['poll', null, 'number', '(watch) milliseconds between readings (default 1000)'],
  ['help', null, 'boolean', 'show this help', 'h'],
  ['version', null, 'boolean', "print the package's version", 'V'],
];

/**
 * The options of watch's and actions' calls, as their command lines name them: these flags have
 * no option key in the table (a cancel refuses them), and the action id is an argument.
 */
const SUBCOMMAND_OPTIONS = { pollMs: '--poll', cursor: '--cursor', actionId: 'ACTION_ID' };

/** The flag (or argument) that carries the option `key` ("workflowUrl" -> "--workflow-url"), if any. */
export function flagFor(key) {
  const row = FLAGS.find(([, option]) => option === key);
  return row ? `--${row[0]}` : SUBCOMMAND_OPTIONS[key];
}

/** The `util.parseArgs` options of the table. */
export function parseArgsOptions() {
  return Object.fromEntries(FLAGS.map(([flag, , kind, , short]) => [flag, {
    type: kind === 'boolean' || kind === 'off' ? 'boolean' : 'string',
    multiple: kind === 'strings',
    ...(short ? { short } : {}),
  }]));
}

/**
 * What the help calls each flag's value (`--ids-from FILE`): its kind, unless the flag names it
 * better. A number is `N`; milliseconds are `MS`.
 */
const VALUE_NAMES = {
  id: 'ID', 'ids-from': 'FILE', 'workflow-url': 'URL', label: 'LABEL', 'caller-ip': 'IP', 'flow-control-key': 'KEY',
  host: 'HOST', path: 'PATH', encoding: 'query|body', timeout: 'MS', deadline: 'MS', poll: 'MS', 'token-file': 'FILE',
  'base-url': 'URL', 'failed-ids-to': 'FILE', state: 'STATE', cursor: 'CURSOR',
};
const KIND_VALUES = { number: 'N', date: 'TIME' };

/** `-s, --flag FILE   help` lines. */
export function flagHelp() {
  const shown = FLAGS.map(([flag, , kind, help, short]) => [
    `${short ? `-${short}, ` : '    '}--${flag}${kind === 'boolean' || kind === 'off' ? '' : ` ${VALUE_NAMES[flag] ?? KIND_VALUES[kind]}`}`, help]);
  const width = Math.max(...shown.map(([left]) => left.length));
  return shown.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/**
 * The flag a misspelt one most likely meant ("lable" -> "label"), or undefined: the closest by
 * edit distance, case aside, if at most max(2, a third of its length) edits away: the same rule
 * as the library's "did you mean" for option names (src/rules/suggest.rs), here for the CLI's flags.
 */
export function closestFlag(name) {
  // Optimal string alignment: an insertion, a deletion, a change or a swap of neighbours is one edit.
  const distance = (a, b) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  };
  const [best] = FLAGS.map(([flag]) => [flag, distance(name.toLowerCase(), flag)]).sort((x, y) => x[1] - y[1]);
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/** `--id/--ids-from` for "workflowRunIds": every flag that carries the option `key`. */
function flagsFor(key) {
  return FLAGS.filter(([, option]) => option === key).map(([flag]) => `--${flag}`).join('/');
}

/**
 * `text` with the library's option names that have flags written as those flags ("cannot be
 * combined with workflowRunIds" -> "... with --id/--ids-from"): at a terminal, flags are what a
 * person typed. Only the camel-case names: "count" or "label" are also plain words.
 */
export function optionsAsFlags(text) {
  return text.replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, (name) => flagsFor(name) || name);
}
