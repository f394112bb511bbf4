// Progress on stderr: a bar redrawn in place on a terminal, a plain line per request otherwise
// (a log file or CI keeps every line; stdout stays for the result).
import { count, number } from '../words.js';

const WIDTH = 24;

/** `{ update(progress), done() }` for `onProgress`; `done` clears the bar and may run twice. */
export function progress(stream) {
  let pass = 0;
  let done = 0;
  let drawn = false;
  return {
    update(p) {
      if (p.pass !== pass) [pass, done] = [p.pass, 0];
      done += 1;
      const text = `pass ${p.pass} · request ${done}/${p.batches} · ${count(p.total, 'run')} cancelled`;
      if (!stream.isTTY) {
        stream.write(`${text}\n`);
        return;
      }
      const filled = Math.round((WIDTH * done) / p.batches);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${text}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** `{ update(reading), done() }` for `waitForBulkAction`: processed of total, redrawn in place on a terminal. */
export function actionBar(stream) {
  let drawn = false;
  return {
    update({ processed, total, state }) {
      // In words for the person watching; --json keeps the service's IN_PROGRESS and FINISHED.
      const text = `${number(processed)} of ${count(total, 'run')} processed · ${state === 'FINISHED' ? 'finished' : 'in progress'}`;
      if (!stream.isTTY) {
        stream.write(`${text}\n`);
        return;
      }
      const filled = total === 0 ? WIDTH : Math.min(WIDTH, Math.round((WIDTH * processed) / total));
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${text}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
