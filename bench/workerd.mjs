// What the workerd benchmarks share: the workerd process Miniflare started for this process, its
// CPU time read from /proc (Linux only), and the official client's cancel path as one module
// workerd can load.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The newest live workerd process that is a child of this one: the one the last Miniflare
 * instance started (other benchmarks on the machine may run their own; a disposed one may still
 * be exiting).
 */
export function workerdPid() {
  const children = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const live = comm === 'workerd' && fields[0] !== 'Z' && Number(fields[1]) === process.pid;
      return live ? [{ pid, started: Number(fields[19]) }] : [];
    } catch {
      return []; // the process ended while the list was read
    }
  });
  if (children.length === 0) throw new Error('no workerd child process');
  return children.sort((a, b) => b.started - a.started)[0].pid;
}

/** CPU time of every thread of `pid` (user and system), in ns, by thread id. */
export function threadCpu(pid) {
  const times = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      times.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return times;
}

/** CPU ms between two readings of threadCpu; a thread that ended in between loses its time since `before` (tiny). */
export const cpuMsSince = (before, after) => [...after].reduce((sum, [tid, ns]) => sum + ns - (before.get(tid) ?? 0), 0) / 1e6;

/** The process's system (kernel) time so far, in ms (/proc/<pid>/stat counts clock ticks of 10 ms). */
export function systemMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[12]) * 10;
}

/** The official client's cancel path (bench/official-cancel.mjs) as one ES module, unminified as wrangler bundles by default. */
export async function officialModule() {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./official-cancel.mjs', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  });
  return bundle.outputFiles[0].text;
}
