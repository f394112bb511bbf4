// The `qstash-cancel` command: flags in, one call of the library out, an exit code per outcome.
// Everything it refuses is the library's own refusal, told with the flag that carried the option.
import { parseArgs } from 'node:util';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { Client, QStashCancelError } from '../../node.js';
import { FLAGS, closestFlag, flagFor, flagHelp, parseArgsOptions } from './flags.js';
import { failureLines, fixTheToken, headline, refusalMessage } from './failure.js';
import { actionBar, progress } from './progress.js';
import { jsonLine, shown } from './escape.js';
import { commandLine, shellQuote, valueWords } from './shell.js';
import { readIdList } from './id-list.js';
import { Refusal } from './refusal.js';
import { EVERY_RUN_PHRASE as PHRASE, count, filtersText, moment, number, phraseMismatch, reachText, summaryText } from '../words.js';

/** Exit codes, one per family of outcomes. */
export const EXIT_CODES = [
  [0, 'done'],
  [1, 'an unexpected failure (a bug: please report it)'],
  [2, 'refused: a flag or option is wrong; nothing was sent'],
  [3, 'not confirmed; nothing was sent'],
  [4, 'UNAUTHORIZED: the token was refused'],
  [5, 'RATE_LIMITED: the service asked to slow down'],
  [6, 'HTTP_ERROR or INVALID_RESPONSE: the service failed'],
  [7, 'NETWORK_ERROR or TIMEOUT: no answer'],
  [8, 'UNFINISHED: --max-passes or --max-requests was reached while runs were still being cancelled, or actions reached its page limit'],
  [129, 'ABORTED: stopped by SIGHUP (the terminal closed)'],
  [130, 'ABORTED: stopped by Ctrl-C (SIGINT)'],
  [143, 'ABORTED: stopped by SIGTERM (kill, timeout, a stopped job or container)'],
];
/** The signals that stop a cancel as Ctrl-C does (the ids not confirmed are saved); exit 128 + number. */
const SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const EXIT_OF = {
  INVALID_OPTIONS: 2, UNAUTHORIZED: 4, RATE_LIMITED: 5, HTTP_ERROR: 6, INVALID_RESPONSE: 6,
  NETWORK_ERROR: 7, TIMEOUT: 7, UNFINISHED: 8, ABORTED: 130,
};
const NOT_CONFIRMED = 3;
/** Flags of one subcommand, refused on a cancel (which would ignore them). */
const SUBCOMMAND_FLAGS = { state: 'actions', cursor: 'actions', poll: 'watch' };
/** Flags that say what to cancel: a resume command replaces them with --ids-from. */
const TARGET_FLAGS = new Set(['id', 'ids-from', 'workflow-url', 'exact', 'label', 'from', 'to', 'caller-ip',
  'flow-control-key', 'host', 'path', 'all', 'count', 'yes', 'yes-cancel-all', 'dry-run', 'failed-ids-to', 'until-done',
  'once', 'max-passes', 'async']);

const HELP = () => `qstash-cancel: cancel Upstash Workflow runs in bulk, safely.

Usage: qstash-cancel [target] [options]
  qstash-cancel --id wfr_1 --id wfr_2
  qstash-cancel --ids-from stuck.txt
  qstash-cancel --workflow-url https://app.example.com/api/report --label nightly --dry-run
  qstash-cancel --all
  qstash-cancel --label nightly --async       start it in the background; prints the action id
  qstash-cancel watch ACTION_ID [--json]      a progress bar until the bulk action finishes
  qstash-cancel actions [--state in-progress|finished] [--cursor C] [--json]   the bulk actions of 7 days, newest first

The connection comes from QSTASH_TOKEN and QSTASH_URL (or QSTASH_REGION with
<REGION>_QSTASH_TOKEN and <REGION>_QSTASH_URL), or --token-file. There is no --token flag:
a token on the command line lands in shell history and in ps.

A filter cancel asks before it starts (--yes skips that); --all asks you to type
"${PHRASE}" (--yes-cancel-all skips that, for scripts). A filter or --all cancel
repeats until a pass cancels nothing (the service cancels at most 100 runs a request);
--once sends one request, --count caps the whole command.
Ctrl-C stops at once and says how to finish the job: an id list's ids not
confirmed cancelled are written to a file, with the command that sends them; a filter
or --all cancel continues when run again as it was.

Flags:
${flagHelp()}

Exit codes:
${EXIT_CODES.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`).join('\n')}
`;

/**
 * Runs the command with `argv`; resolves to the exit code. `io` holds the process's streams,
 * environment and folder (tests and the bin pass the real ones).
 */
export async function main(argv, io) {
  const { stdout, stderr } = io;
  let values;
  let account;
  const controller = new AbortController();
  let stoppedBy;
  // The first signal stops the cancel and lets it report; a second one ends the process at once.
  const onSignal = (signal) => (stoppedBy ? process.exit(SIGNALS[signal]) : ((stoppedBy = signal), controller.abort()));
  // A closed pipe or terminal (`| head`, a dropped ssh session) must not end a running cancel:
  // what cannot be written is dropped, the work goes on, and the ids are still saved.
  const ignore = () => {};
  for (const stream of [stdout, stderr]) stream.on?.('error', ignore);
  let json = argv.includes('--json');
  try {
    const [command, positionals] = subcommand(argv);
    values = parse(command ? argv.slice(1) : argv, command !== undefined);
    json = values.json === true;
    // Run bare, it shows what it can do rather than a complaint about the token.
    if (values.help || argv.length === 0) {
      stdout.write(HELP());
      return 0;
    }
    if (values.version) {
      stdout.write(`qstash-cancel ${JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version}\n`);
      return 0;
    }
    let client;
    ({ client, account } = await connect(values, io.env));
    if (command) {
      for (const signal of Object.keys(SIGNALS)) process.on(signal, onSignal);
      return await (command === 'watch' ? watch : actions)(client, values, positionals(values), io, json, controller.signal);
    }
    const { options, idFile } = await cancelOptions(values, io);
    let preview;
    try {
      preview = client.previewRequest(options);
    } catch (err) {
      throw inIdFile(err, idFile);
    }
    if (values['dry-run']) {
      report(io, json, { ok: true, code: 'DRY_RUN', message: 'Dry run: nothing was sent.', dryRun: true, ...preview, account: accountJson(account) },
        `${dryRunText(preview)}\n\nA real run would use:\n${accountText(account)}`);
      return 0;
    }
    const refusal = await unconfirmed(options, values, io, account);
    if (refusal !== undefined) {
      report(io, json, { ok: false, code: 'NOT_CONFIRMED', cancelled: 0 }, refusal, stderr);
      return refusal === STOPPED_AT_QUESTION ? SIGNALS.SIGINT : NOT_CONFIRMED;
    }
    for (const signal of Object.keys(SIGNALS)) process.on(signal, onSignal);
    if (options.async) return await started(client, options, values, io, json, controller.signal, account);
    const bar = progress(stderr);
    let summary;
    try {
      summary = await client.cancelRunsDetailed({ ...options, signal: controller.signal, onProgress: bar.update });
    } finally {
      bar.done();
    }
    const asked = options.workflowRunIds && new Set(options.workflowRunIds).size;
    const done = summaryText(summary, options, flagFor).join('\n');
    report(io, json, { ok: true, code: 'DONE', message: done, ...summary, ...(asked ? { asked } : {}), account: accountJson(account) },
      `${done}\n${accountText(account)}`);
    return 0;
  } catch (err) {
    if (!(err instanceof QStashCancelError || err instanceof Refusal)) {
      report(io, json, { ok: false, code: 'UNEXPECTED', message: String(err?.message ?? err) }, `Unexpected failure: ${String(err?.stack ?? err).split('\n').map(shown).join('\n')}`, stderr);
      return 1;
    }
    const code = await failed(err, values, argv, io, json, account, stoppedBy);
    return err.code === 'ABORTED' && stoppedBy ? SIGNALS[stoppedBy] : code;
  } finally {
    for (const signal of Object.keys(SIGNALS)) process.off(signal, onSignal);
  }
}

/** The subcommand (`watch`, `actions`) and a reader of its positional arguments, if any. */
function subcommand(argv) {
  const [first] = argv;
  if (first !== 'watch' && first !== 'actions') return [undefined, () => []];
  const allowed = first === 'watch' ? ['json', 'poll', 'timeout', 'deadline', 'retries', 'token-file', 'base-url', 'help']
    : ['json', 'state', 'cursor', 'timeout', 'retries', 'token-file', 'base-url', 'help'];
  const read = (values) => {
    const stray = Object.keys(values).find((flag) => flag !== 'positionals' && !allowed.includes(flag));
    if (stray) throw new Refusal(`--${stray}`, `does not apply to ${first} (it takes ${allowed.map((f) => `--${f}`).join(', ')})`);
    const args = values.positionals ?? [];
    if (first === 'watch' && args.length !== 1) throw new Refusal('', 'watch takes one action id: qstash-cancel watch ACTION_ID');
    if (first === 'actions' && args.length > 0) throw new Refusal('', `actions takes no argument (got ${JSON.stringify(args[0])})`);
    return args;
  };
  return [first, read];
}

function parse(argv, positionals = false) {
  const token = argv.find((arg) => arg === '--token' || arg.startsWith('--token='));
  if (token) {
    throw new Refusal('--token', 'is not accepted: a token on the command line lands in shell history and in ps; set QSTASH_TOKEN or use --token-file');
  }
  checkArgs(argv, positionals);
  try {
    const parsed = parseArgs({ args: argv, options: parseArgsOptions(), strict: true, allowPositionals: positionals });
    return positionals ? { ...parsed.values, positionals: parsed.positionals } : parsed.values;
  } catch (err) {
    // checkArgs refuses all that parseArgs does (tests/package/cli.test.mjs): this is a bug's net.
    throw new Refusal('', `${err.message} (see --help)`);
  }
}

/** Flags by name and by one-letter form, from the table. */
const LONG = new Map(FLAGS.map((row) => [row[0], row]));
const SHORT = new Map(FLAGS.filter((row) => row[4]).map((row) => [row[4], row]));
const isSwitch = ([, , kind]) => kind === 'boolean' || kind === 'off';

/**
 * Refuses what `util.parseArgs` would (an unknown flag, a missing value, a value on a switch, an
 * argument where none is taken), naming the flag from the table or the word as typed: Node's
 * messages change between versions, so none is read. Like parseArgs, a value that looks like a
 * flag (`--id --label`) is a missing value, `-` alone is a value (stdin), everything after `--`
 * is an argument, and a flag given twice keeps its last value (a repeatable one keeps all).
 */
function checkArgs(argv, positionals) {
  const unknown = (typed) => {
    const meant = closestFlag(typed.replace(/^--?/, ''));
    return new Refusal(shown(typed), meant ? `is not a known flag; did you mean --${meant}? (see --help)` : 'is not a known flag (see --help)');
  };
  const stray = (arg) => new Refusal(shown(arg), `is not a flag; to name a run by id, write --id ${shown(shellQuote(arg))} (see --help)`);
  const needsValue = (row, next) => {
    if (next === undefined || (next.length > 1 && next.startsWith('-'))) throw new Refusal(`--${row[0]}`, 'needs a value after it (see --help)');
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      if (!positionals && i + 1 < argv.length) throw stray(argv[i + 1]);
      return;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const row = LONG.get(name);
      if (row === undefined) throw unknown(`--${name}`);
      if (isSwitch(row) && eq !== -1) throw new Refusal(`--${name}`, 'takes no value (see --help)');
      if (!isSwitch(row) && eq === -1) needsValue(row, argv[++i]);
    } else if (arg.length > 1 && arg.startsWith('-')) {
      // One-letter flags, alone or grouped (`-yh`); a value-taking one would take the rest.
      for (const letter of arg.slice(1)) {
        const row = SHORT.get(letter);
        if (row === undefined) throw unknown(`-${letter}`);
        if (!isSwitch(row)) needsValue(row, argv[++i]);
      }
    } else if (!positionals) {
      throw stray(arg);
    }
  }
}

/** What stands in for the token on a dry run without one: the preview redacts it, and nothing is sent. */
const NO_TOKEN = 'dry-run-without-a-token';

/**
 * The client, from --token-file and --base-url or the service's environment variables, and the
 * account it opens as a person can check it: where the token came from, its fingerprint, and
 * the base URL its requests go to, all as the library chose them (`client.target()`).
 */
async function connect(values, env) {
  const base = values['base-url'];
  if (values['token-file'] !== undefined) {
    const token = (await readBytes(values['token-file'], '--token-file')).toString('utf8').trim();
    const client = new Client({ token, baseUrl: base ?? env.QSTASH_URL });
    return { client, account: accountOf(client, { tokenFrom: '--token-file' }) };
  }
  const options = base === undefined ? undefined : { baseUrl: base };
  // --base-url names where requests go, in place of the region's URL: the region is not shown.
  const place = base === undefined ? {} : { region: null };
  const vars = { ...env };
  try {
    const client = Client.fromEnv(vars, options);
    return { client, account: accountOf(client, place) };
  } catch (err) {
    // A dry run sends nothing, so it needs no token: when the variable the library names as the
    // one at fault is not set, a stand-in takes its place, and the account says none was given.
    const unset = err instanceof QStashCancelError && err.field !== undefined && err.field !== 'baseUrl' && !String(vars[err.field] ?? '').trim();
    if (!values['dry-run'] || !unset) throw err;
    const client = Client.fromEnv({ ...vars, [err.field]: NO_TOKEN }, options);
    return { client, account: accountOf(client, { ...place, fingerprint: null }) };
  }
}

/** The account a client's calls hit, as a person can check it; `over` replaces what the caller knows better. */
function accountOf(client, over) {
  const { baseUrl, tokenFingerprint, tokenFrom, region } = client.target();
  return { tokenFrom, region, fingerprint: tokenFingerprint, baseUrl, ...over };
}

/**
 * `Account: the token from QSTASH_TOKEN (fingerprint 1a2b-3c4d-5e6f) at https://… (region
 * US_EAST_1)`: which account a command hits (a dry run without a token says which variable a
 * real run needs). "fingerprint" in so many words: a bare hex group reads as part of the token.
 */
function accountText({ tokenFrom, region, fingerprint, baseUrl }) {
  const token = fingerprint === null ? `no token yet (set ${tokenFrom})` : `the token from ${tokenFrom} (fingerprint ${fingerprint})`;
  return `Account: ${token} at ${shown(baseUrl)}${region ? ` (region ${region})` : ''}`;
}

/** The account for --json. */
function accountJson({ tokenFrom, fingerprint, baseUrl }) {
  return { baseUrl, tokenFingerprint: fingerprint ?? null, tokenFrom };
}

/** The options of the call, from the flags; the library checks them all. */
async function cancelOptions(values, io) {
  const options = {};
  for (const [flag, key, kind] of FLAGS) {
    const value = values[flag];
    if (value === undefined || key === null || ['token', 'baseUrl', 'workflowRunIds'].includes(key)) continue;
    if (key === 'retry') options.retry = { retries: readNumber(`--${flag}`, value) };
    else if (kind === 'off') options[key] = false;
    else if (kind === 'number') options[key] = readNumber(`--${flag}`, value);
    else if (kind === 'date') options[key] = readTime(`--${flag}`, value);
    else options[key] = value;
  }
  if (values.once && values['until-done']) throw new Refusal('--once', 'cannot be combined with --until-done');
  for (const [flag, command] of Object.entries(SUBCOMMAND_FLAGS)) {
    if (values[flag] !== undefined) throw new Refusal(`--${flag}`, `applies to ${command} only`);
  }
  const ids = [...(values.id ?? [])];
  let idFile;
  if (values['ids-from'] !== undefined) {
    const file = values['ids-from'];
    const name = file === '-' ? 'stdin' : file;
    // At a terminal, reading stdin looks like a hang: say what it waits for and how to end it.
    if (file === '-' && io.stdin.isTTY) io.stderr.write('Paste the run ids (one per line, or separated by commas or spaces), then press Ctrl-D on a line of its own:\n');
    const list = readIdList(file === '-' ? await readAll(io.stdin, '--ids-from', 'stdin') : await readBytes(file, '--ids-from'), name);
    if (list.ids.length === 0) throw new Refusal('--ids-from', `${shown(name)} holds no run ids`);
    idFile = { name, first: ids.length, where: list.where };
    // One by one: spreading 200,000 ids into push() overflows the call stack.
    for (const id of list.ids) ids.push(id);
  }
  if (ids.length > 0) options.workflowRunIds = ids;
  const targets = ['workflowRunIds', 'workflowUrl', 'label', 'fromDate', 'toDate', 'callerIp', 'flowControlKey', 'host', 'path', 'all'];
  if (!targets.some((key) => key in options)) {
    throw new Refusal('', 'no target given: name runs with --id or --ids-from, match them with --workflow-url, --label, --from, --to, --caller-ip, --flow-control-key, --host or --path, or cancel every run with --all');
  }
  return { options, idFile };
}

/**
 * A refusal of an id that came from --ids-from, told as where it stands in that file (the
 * library numbers the whole list, --id flags first); other errors as they are.
 */
function inIdFile(err, idFile) {
  if (!idFile || err.code !== 'INVALID_OPTIONS' || err.field !== 'workflowRunIds') return err;
  if (err.index >= idFile.first) return new Refusal('--ids-from', `${shown(idFile.name)} ${idFile.where(err.index - idFile.first)}: ${err.rule}`);
  // A rule of the whole list, or one that names no item: the file, when every id came from it.
  return err.index === undefined && idFile.first === 0 ? new Refusal('--ids-from', `${shown(idFile.name)}: ${err.rule}`) : err;
}

/** Starts a cancel in the background and says how to follow it. */
async function started(client, options, values, io, json, signal, account) {
  const { actionId } = await client.cancelRuns({ ...options, signal });
  report(io, json, { ok: true, code: 'STARTED', actionId, account: accountJson(account) },
    `Started bulk action ${shown(actionId)}: the service cancels the matching runs in the background.\n${accountText(account)}\nFollow it with: ${shown(commandLine(io.env, ['watch', ...valueWords(actionId)]))}`);
  // At a terminal, the natural next step is one keypress away.
  if (json || !io.stdin.isTTY || !io.stderr.isTTY) return 0;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  io.stderr.write('Watch it now? [Y/n] ');
  const answer = await new Promise((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve('n'));
    // Ctrl-C here is a no: the action was started and goes on (the line above says how to follow it).
    signal.addEventListener('abort', () => {
      io.stderr.write('\n');
      resolve('n');
    });
  });
  rl.close();
  if (/^n(o)?$/i.test(answer.trim())) return 0;
  return watch(client, {}, [actionId], io, json, signal);
}

/** A progress bar until the bulk action finishes; Ctrl-C stops the watching, not the cancel. */
async function watch(client, values, [actionId], io, json, signal) {
  const bar = actionBar(io.stderr);
  const poll = values.poll === undefined ? undefined : readNumber('--poll', values.poll);
  const options = { actionId, signal, onProgress: bar.update, ...(poll === undefined ? {} : { pollMs: poll }) };
  if (values.timeout !== undefined) options.timeoutMs = readNumber('--timeout', values.timeout);
  if (values.deadline !== undefined) options.deadlineMs = readNumber('--deadline', values.deadline);
  if (values.retries !== undefined) options.retry = { retries: readNumber('--retries', values.retries) };
  let action;
  try {
    action = await client.waitForBulkAction(options);
  } catch (err) {
    // An id mistyped or older than 7 days, not the service failing: said so, with where to look.
    if (err.code !== 'HTTP_ERROR' || err.status !== 404) throw err;
    bar.done();
    const text = [`No bulk action ${shown(actionId)} on this account (${err.code}, HTTP ${err.status})`,
      ...(err.serverMessage ? [`The service said: "${shown(err.serverMessage)}"`] : []),
      `Bulk actions are kept 7 days; list them with: ${shown(commandLine(io.env, ['actions']))}`].join('\n');
    report(io, json, { ok: false, code: err.code, message: text, status: err.status }, text, io.stderr);
    return EXIT_OF.HTTP_ERROR;
  } finally {
    bar.done();
  }
  const when = (ms) => (ms === null ? 'not yet' : moment(ms));
  report(io, json, { ok: true, code: 'FINISHED', ...action },
    `Bulk action ${shown(action.actionId)} finished: ${number(action.processed)} of ${count(action.total, 'run')} processed (created ${when(action.createdAt)}, finished ${when(action.completedAt)}).`);
  return 0;
}

/** The bulk actions of the last 7 days, as a table (or JSON). */
async function actions(client, values, _args, io, json, signal) {
  // In any case, with - or _: the table prints IN_PROGRESS, and that is what people paste.
  const states = { 'in-progress': 'IN_PROGRESS', finished: 'FINISHED' };
  const state = values.state?.toLowerCase().replace('_', '-');
  if (state !== undefined && !(state in states)) throw new Refusal('--state', 'must be in-progress or finished (upper or lower case, with - or _)');
  const options = { signal, ...(state ? { state: states[state] } : {}) };
  if (values.timeout !== undefined) options.timeoutMs = readNumber('--timeout', values.timeout);
  if (values.retries !== undefined) options.retry = { retries: readNumber('--retries', values.retries) };
  if (values.cursor !== undefined) options.cursor = values.cursor;
  const all = [];
  let stopped;
  try {
    for await (const action of client.listAllBulkActions(options)) all.push(action);
  } catch (err) {
    // A service that gives cursor after cursor: what was read is shown, and where to go on.
    if (err.code !== 'UNFINISHED' || err.cursor === undefined) throw err;
    stopped = err;
  }
  if (stopped) {
    const resume = commandLine(io.env, ['actions', ...(values.state ? ['--state', values.state] : []), ...valueWords(stopped.cursor, '--cursor')]);
    if (!json && all.length > 0) io.stdout.write(actionTable(all));
    report(io, json, { ok: false, code: 'UNFINISHED', message: stopped.message, bulkActions: all, cursor: stopped.cursor, resume },
      `${headline('UNFINISHED')}: the listing stopped at its page limit with the service still giving cursors (${count(all.length, 'bulk action')} read).\nTo list on from there:\n  ${shown(resume)}`, io.stderr);
    return EXIT_OF.UNFINISHED;
  }
  if (json) {
    report(io, json, { ok: true, code: 'LISTED', bulkActions: all }, `${count(all.length, 'bulk action')}.`);
    return 0;
  }
  io.stdout.write(all.length === 0 ? 'No bulk actions (they are kept 7 days).\n' : actionTable(all));
  return 0;
}

/** The service's filter names that a flag taking one value each stands for. */
const FILTER_KEYS = new Set(['workflowUrl', 'label', 'fromDate', 'toDate', 'callerIp', 'flowControlKey', 'host', 'path']);

/** The bulk actions as a table, newest first, and why one command can show as several. */
function actionTable(all) {
  // As the flags that match the same runs (what a person pastes to look again with --dry-run);
  // a filter the CLI has no flag for keeps the service's name.
  const filter = (f) => Object.entries(f).flatMap(([k, v]) => (FILTER_KEYS.has(k)
    ? v.map((value) => `${flagFor(k)} ${shown(shellQuote(value))}`)
    : [`${shown(k)}=${v.map(shown).join('|')}`])).join(' ');
  // Newest first, the one just started at the top; ties in the service's order, reversed.
  const newest = all.map((a, i) => [a, i]).sort(([a, i], [b, j]) => b.createdAt - a.createdAt || j - i).map(([a]) => a);
  const rows = [['ACTION ID', 'STATE', 'PROCESSED', 'CREATED', 'COMPLETED', 'FILTER'],
    ...newest.map((a) => [shown(a.actionId), a.state, `${number(a.processed)}/${number(a.total)}`, moment(a.createdAt),
      a.completedAt === null ? '-' : moment(a.completedAt), filter(a.filter)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return `${rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n')}\n`
    + 'Newest first. A filter or --all cancel repeats in passes until one cancels nothing, and each pass is one bulk action: one command can show as several.\n';
}

/** A time flag: Unix milliseconds in digits (the library checks their range), or a date `Date` reads. */
function readTime(flag, value) {
  if (/^\d+$/.test(value)) return Number(value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new Refusal(flag, `is not a time: give an ISO date such as 2026-12-06T09:00:00Z, or Unix milliseconds (got ${JSON.stringify(shown(value.slice(0, 40)))})`);
  }
  return date;
}

/** A number flag, strictly digits. */
function readNumber(flag, value) {
  if (!/^\d+$/.test(value)) throw new Refusal(flag, `must be a whole number written in digits (got ${JSON.stringify(value.slice(0, 40))})`);
  return Number(value);
}

/**
 * Asks before a filter cancel (y/N) and before --all (the phrase); ids name runs exactly.
 * Resolves to undefined when confirmed, else to the words saying why not.
 */
async function unconfirmed(options, values, io, account) {
  const all = options.all === true;
  if (options.workflowRunIds || (all ? values['yes-cancel-all'] : values.yes)) return undefined;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  // Ctrl-C at the question is a "no" said so: the person learns that nothing was sent.
  let interrupt;
  const answer = new Promise((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
    interrupt = () => resolve(null);
    process.once('SIGINT', interrupt);
  });
  // Piped, the answer is not echoed (nor is a Ctrl-C's newline): end the question's line so what
  // follows starts its own. Undefined when Ctrl-C stopped the question.
  const read = async () => {
    const text = (await answer)?.trim();
    if (!io.stdin.isTTY || text === undefined) io.stderr.write('\n');
    return text;
  };
  try {
    if (all) {
      io.stderr.write(`This cancels EVERY workflow run of the account.\n${accountText(account)}\nType "${PHRASE}" to go on: `);
      const typed = await read();
      if (typed === undefined) return STOPPED_AT_QUESTION;
      const mismatch = phraseMismatch(typed);
      if (mismatch === undefined) return undefined;
      return {
        nothing: 'Not confirmed: no phrase was typed. Nothing was sent.',
        case: `Not confirmed: the phrase is case-sensitive; type "${PHRASE}" exactly, in lower case. Nothing was sent.`,
        words: `Not confirmed: "${shown(typed)}" is not the phrase "${PHRASE}". Nothing was sent.`,
      }[mismatch];
    }
    io.stderr.write(`This cancels every run matching ${filtersText(options, shown)}${reachText(options, flagFor)}.\n${accountText(account)}\nGo on? [y/N] `);
    const said = await read();
    if (said === undefined) return STOPPED_AT_QUESTION;
    return /^y(es)?$/i.test(said) ? undefined : 'Not confirmed: nothing was sent.';
  } finally {
    process.off('SIGINT', interrupt);
    rl.close();
  }
}

/** The answer of a question stopped by Ctrl-C (exit 130, as for a cancel stopped by it). */
const STOPPED_AT_QUESTION = 'Not confirmed: stopped by Ctrl-C. Nothing was sent.';

function dryRunText(preview) {
  const curl = [`curl -X ${preview.method} ${shellQuote(preview.url)}`];
  for (const [name, value] of Object.entries(preview.headers)) {
    curl.push(name === 'Authorization' ? '  -H "Authorization: Bearer $QSTASH_TOKEN"' : `  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (preview.body !== null) curl.push(`  -d ${shellQuote(preview.body)}`);
  const first = preview.requests > 1 ? ` (the first of ${preview.requests} requests)` : '';
  return [
    `Dry run: nothing was sent. The request${first}:`,
    `  ${preview.method} ${preview.url}`,
    ...Object.entries(preview.headers).map(([name, value]) => `  ${name}: ${value}`),
    ...(preview.body !== null ? [`  ${preview.body}`] : []),
    '',
    'The same with curl:',
    curl.join(' \\\n'),
  ].join('\n');
}

/** Reports a refusal or failure: what was done, the ids not done (in a file), how to resume. */
async function failed(err, values, argv, io, json, account, stoppedBy) {
  const message = err.code === 'INVALID_OPTIONS' ? refusalMessage(err) : err.message;
  const result = { ok: false, code: err.code, message, cancelled: err.cancelled ?? 0 };
  const flag = flagFor(err.field);
  if (flag) result.flag = flag;
  if (err.status !== undefined) result.status = err.status;
  for (const key of ['unconfirmed', 'unconfirmedUpTo', 'unconfirmedRunIds', 'notCancelledRunIds']) {
    if (err[key] !== undefined) result[key] = err[key];
  }
  const lines = failureLines(err, stoppedBy, values);
  let listed = false;
  // A refused token is no job to resume: every try would be refused the same way. Only ids of a
  // job part done (or a file asked for by name) are kept.
  const refused = err.code === 'UNAUTHORIZED';
  const partDone = err.cancelled > 0 || err.unconfirmed > 0 || err.unconfirmedRunIds?.length > 0;
  const resumable = !refused || partDone;
  if (err.failedRunIds?.length > 0 && (resumable || values?.['failed-ids-to'] !== undefined)) {
    const file = resolve(io.cwd, values?.['failed-ids-to'] ?? `qstash-cancel-failed-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
    result.failedRunIds = err.failedRunIds;
    try {
      await writeFile(file, `${err.failedRunIds.join('\n')}\n`);
      result.failedIdsFile = file;
      result.resume = resumeCommand(argv, file, io.env);
      lines.push(`The ${count(err.failedRunIds.length, 'id')} not confirmed cancelled are in ${shown(file)} (sending them again is safe: a cancelled run is not cancelled twice).`);
      if (resumable) lines.push(`${refused ? 'Once the token is fixed, finish the job with' : 'To finish the job'}:`, `  ${shown(result.resume)}`);
      else delete result.resume;
    } catch (cause) {
      // The ids must not be lost with the file: they go to stdout instead (and into --json).
      result.failedIdsFileError = `cannot write ${file}: ${whyNot(cause, true)}`;
      lines.push(`The ${count(err.failedRunIds.length, 'id')} not confirmed cancelled could not be saved: ${shown(result.failedIdsFileError)}. They follow on standard output, one per line.`);
      listed = !json;
    }
  } else if (values?.async && err.unconfirmed > 0) {
    // A start sent without an answer may have started an action: running the command again
    // could start a second one.
    lines.push(`A bulk action may have started. Look before you start another: ${shown(commandLine(io.env, ['actions', '--state', 'in_progress']))}`);
  } else if (!refused && !['INVALID_OPTIONS', 'UNFINISHED'].includes(err.code) && err.cancelled !== undefined) {
    // Requests with a count are bounded by it, unless an answer went past it: then the core
    // gives no bound (no unconfirmedUpTo), and neither does this line.
    const unbounded = err.unconfirmed > 0 && err.unconfirmedUpTo === undefined;
    lines.push(values?.count === undefined
      ? 'Running the same command again continues where this one stopped (cancelled runs are not counted twice).'
      : unbounded
        ? 'The service may not keep to --count: running the same command again may cancel every matching run.'
        : `Running the same command again may cancel up to --count ${values.count} more ${values.count === '1' ? 'run' : 'runs'}.`);
  }
  if (refused && account) lines.push(fixTheToken(account, err.status));
  report(io, json, result, lines.join('\n'), io.stderr);
  if (listed) io.stdout.write(`${err.failedRunIds.join('\n')}\n`);
  return EXIT_OF[err.code] ?? 1;
}

/** The command again, with the ids not done in place of the original target. */
function resumeCommand(argv, file, env) {
  const options = parseArgsOptions();
  const kept = [];
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].replace(/^--/, '').split(/=(.*)/s);
    const takesValue = options[name]?.type === 'string' && inline === undefined;
    if (!TARGET_FLAGS.has(name)) kept.push(argv[i], ...(takesValue ? [argv[i + 1]] : []));
    if (takesValue) i++;
  }
  return commandLine(env, ['--ids-from', file, ...kept]);
}

/**
 * One result: JSON on stdout, or text (on stdout for results, on `textStream` for failures).
 * Every JSON result has the same head, `ok`, `code` and `message` (the text shown otherwise),
 * then what that outcome carries.
 */
function report(io, json, { ok, code, message, ...rest }, text, textStream = io.stdout) {
  if (json) io.stdout.write(`${jsonLine({ ok, code, message: message ?? text, ...rest })}\n`);
  else textStream.write(`${text}\n`);
}

/**
 * The most bytes read from a file or stdin: 1,000,000 ids (the most one call takes) of 128
 * characters. Endless input (`yes | ...`, /dev/zero) stops here: read whole, it took 13.8 GB of
 * memory in a minute.
 */
const MAX_READ_BYTES = 128 * 1024 * 1024;

async function readBytes(file, flag) {
  try {
    return await readAll(createReadStream(file), flag, file);
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(flag, `cannot read ${shown(file)}: ${whyNot(err)}`);
  }
}

/**
 * Why a file could not be read or written, in words, then the system's code (what a search
 * finds); an unforeseen code as the system says it.
 */
function whyNot(err, writing = false) {
  const words = {
    ENOENT: writing ? 'a folder on its path does not exist' : 'there is no such file',
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of its path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  }[err.code];
  return words ? `${words} (${err.code})` : err.message;
}

async function readAll(stream, flag, name) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_READ_BYTES) {
      stream.destroy();
      throw new Refusal(flag, `${shown(name)} holds more than 128 MiB, more than the 1,000,000 ids one call takes: split it`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
