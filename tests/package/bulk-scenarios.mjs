// Bulk actions: a filter cancel started in the background, followed to the end, and the
// service's record of them read and paged. Run in Node, workerd and a Chromium page, against the
// emulator's model of the documented behaviour (see tests/emulator/server.mjs). Plain ESM with no
// Node imports: the Worker and the page load this file too.

const nightly = (n) => Array.from({ length: n }, (_, i) => ({
  id: `bk_${String(i).padStart(4, '0')}`, workflowUrl: 'https://app.test/api/report', label: 'nightly', createdAt: 1_700_000_000_000 + i,
}));
const DAY = 24 * 3_600_000;
/** Bulk actions as the service keeps them: `n` of them, the state of each from `state(i)`. */
export const actions = (n, state, age = () => 3_600_000) => Array.from({ length: n }, (_, i) => {
  const createdAt = Date.now() - age(i);
  const finished = state(i) === 'FINISHED';
  return {
    actionId: `ba_seed_${String(i).padStart(3, '0')}`, kind: 'cancel', state: state(i), total: 10, processed: finished ? 10 : 3,
    createdAt, ...(finished ? { completedAt: createdAt + 1_000 } : {}), filter: { label: [`l${i}`] },
  };
});
const fail = (what) => {
  throw new Error(what);
};

export const bulkScenarios = [
  {
    name: 'an async filter cancel answers at once with an actionId; waitForBulkAction reports rising progress and resolves when it is FINISHED',
    runs: () => nightly(300),
    speed: { perTick: 25, tickMs: 50 },
    call: async (api, c) => {
      const started = await api.cancelRuns({ ...c, label: 'nightly', async: true });
      const progress = [];
      const done = await api.waitForBulkAction({ ...c, actionId: started.actionId, pollMs: 100, onProgress: (p) => progress.push(p.processed) });
      return { started, done, progress };
    },
    query: '?label=nightly&async=true',
    cancelled: (runs) => runs.map((run) => run.id),
    check: ({ value: { started, done, progress } }) => {
      if (Object.keys(started).join() !== 'actionId' || !/^ba_/.test(started.actionId)) fail(`started: ${JSON.stringify(started)}`);
      if (done.actionId !== started.actionId || done.state !== 'FINISHED' || done.processed !== 300 || done.total !== 300) fail(`done: ${JSON.stringify(done)}`);
      if (typeof done.completedAt !== 'number' || done.filter.label?.[0] !== 'nightly') fail(`done: ${JSON.stringify(done)}`);
      const rising = progress.every((p, i) => i === 0 || p >= progress[i - 1]);
      if (!rising || new Set(progress).size < 3 || progress.at(-1) !== 300) fail(`progress ${progress}`);
    },
  },
  {
    name: 'a waitForBulkAction onProgress that throws, or rejects, does not stop the wait',
    runs: () => nightly(100),
    speed: { perTick: 25, tickMs: 50 },
    call: async (api, c) => {
      const { actionId } = await api.cancelRuns({ ...c, label: 'nightly', async: true });
      let calls = 0;
      const onProgress = (p) => {
        calls += 1;
        if (calls % 2 === 1) throw new Error('ui broke');
        return Promise.reject(new Error(`ui broke at ${p.processed}`));
      };
      const done = await api.waitForBulkAction({ ...c, actionId, pollMs: 100, onProgress });
      return { done, calls };
    },
    query: '?label=nightly&async=true',
    cancelled: (runs) => runs.map((run) => run.id),
    check: ({ value: { done, calls } }) => {
      if (done.state !== 'FINISHED' || done.processed !== 100) fail(`done: ${JSON.stringify(done)}`);
      if (calls < 2) fail(`onProgress called ${calls} times`);
    },
  },
  {
    name: 'listAllBulkActions pages through every action with state set, past pages that hold none',
    actions: () => actions(250, (i) => (i < 60 || i % 3 === 0 ? 'IN_PROGRESS' : 'FINISHED')),
    call: async (api, c) => {
      const first = await api.listBulkActions({ ...c, state: 'FINISHED', count: 40 });
      const ids = [];
      for await (const action of api.listAllBulkActions({ ...c, state: 'FINISHED', count: 40 })) ids.push(action.actionId);
      return { first, ids };
    },
    cancelled: [],
    check: ({ value: { first, ids } }, { log }) => {
      // The first page scanned 40 actions, all in progress: none, and a cursor all the same.
      if (first.bulkActions.length !== 0 || typeof first.cursor !== 'string') fail(`first page: ${JSON.stringify(first)}`);
      const want = actions(250, (i) => (i < 60 || i % 3 === 0 ? 'IN_PROGRESS' : 'FINISHED'))
        .filter((a) => a.state === 'FINISHED').map((a) => a.actionId);
      if (JSON.stringify(ids) !== JSON.stringify(want)) fail(`${ids.length} listed, ${want.length} finished`);
      const pages = log.filter((entry) => entry.path === '/v2/workflows/bulkActions').length;
      if (pages !== 1 + 7) fail(`${pages} page requests`);
    },
  },
  {
    name: 'listAllBulkActions stops at maxPages as UNFINISHED naming maxPages and the cursor to resume from, after the actions it read; a cursor given twice is INVALID_RESPONSE',
    faults: () => [...['c1', 'c2', 'c3'], ...['again', 'again']].map((cursor, i) => ({
      status: 200,
      body: { bulkActions: [{ actionId: `ba_${i}`, kind: 'cancel', state: 'FINISHED', total: 1, processed: 1, createdAt: 1764000000000, completedAt: 1764000001000 }], cursor },
    })),
    call: async (api, c) => {
      const list = async (options) => {
        const listed = [];
        const err = await (async () => {
          for await (const action of api.listAllBulkActions({ ...c, ...options })) listed.push(action.actionId);
        })().then(() => undefined, (e) => e);
        return [listed.join(), err?.code, err?.field, err?.limit, err?.cursor].join(' ');
      };
      return [await list({ maxPages: 3 }), await list({})];
    },
    cancelled: [],
    check: ({ value }) => {
      const want = ['ba_0,ba_1,ba_2 UNFINISHED maxPages 3 c3', 'ba_3,ba_4 INVALID_RESPONSE   '];
      if (JSON.stringify(value) !== JSON.stringify(want)) fail(`got ${JSON.stringify(value)}`);
    },
  },
  {
    name: 'bulk actions older than 7 days are gone; getBulkAction of an unknown id is a 404 with the service message',
    actions: () => actions(3, () => 'FINISHED', (i) => (i === 0 ? 8 * DAY : DAY)),
    call: async (api, c) => {
      const listed = [];
      for await (const action of api.listAllBulkActions(c)) listed.push(action.actionId);
      if (listed.join() !== 'ba_seed_001,ba_seed_002') fail(`listed ${listed}`);
      return api.getBulkAction({ ...c, actionId: 'ba_seed_000' });
    },
    error: { code: 'HTTP_ERROR', status: 404, serverMessage: 'Bulk action not found' },
    cancelled: [],
  },
  {
    name: 'a bulk action of the wrong shape is INVALID_RESPONSE naming the field, and is not retried',
    faults: () => [{ status: 200, body: { actionId: 'ba_x', kind: 'cancel', state: 'DONE', total: 1, processed: 1, createdAt: 1 } }],
    call: (api, c) => api.getBulkAction({ ...c, actionId: 'ba_x' }),
    error: { code: 'INVALID_RESPONSE', status: 200, message: /"state" is neither IN_PROGRESS nor FINISHED/ },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'a bulk action that echoes the token in a field is refused, never handed over as data',
    faults: (c) => [{ status: 200, body: { actionId: 'ba_x', kind: `cancel ${c.token}`, state: 'FINISHED', total: 1, processed: 1, createdAt: 1 } }],
    call: (api, c) => api.getBulkAction({ ...c, actionId: 'ba_x' }),
    error: { code: 'INVALID_RESPONSE', message: /holds the token, which is not passed on/, serverMessage: '[withheld: the text contained the token or a piece of it]' },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'an async start whose answer has no actionId is INVALID_RESPONSE saying what was expected',
    runs: () => nightly(5),
    faults: () => [{ status: 202, body: { accepted: true } }],
    call: (api, c) => api.cancelRuns({ ...c, label: 'nightly', async: true }),
    error: { code: 'INVALID_RESPONSE', status: 202, message: /"actionId" is missing/ },
    attempts: 1,
    cancelled: [],
  },
  {
    name: 'hostile action ids are refused naming the field, and nothing is sent',
    call: async (api, c) => {
      const codes = [];
      for (const actionId of ['../runs', 'a/b', 'a?b', 'a#b', 'a%2fb', 'a\\b', '..', '', 'a b', 'a\u202eb', 'x'.repeat(300), 7]) {
        codes.push(await api.getBulkAction({ ...c, actionId }).then(() => 'sent', (err) => `${err.code}:${err.field}`));
      }
      return codes;
    },
    result: Array(12).fill('INVALID_OPTIONS:actionId'),
    attempts: 0,
    cancelled: [],
  },
  {
    name: 'async is refused with ids, in the body form, and with untilDone',
    call: async (api, c) => Promise.all([
      { workflowRunIds: ['a'], async: true },
      { label: 'x', async: true, encoding: 'body' },
      { label: 'x', async: true, untilDone: true },
    ].map((o) => api.cancelRuns({ ...c, ...o }).then(() => 'sent', (err) => `${err.code}:${err.field}`))),
    result: ['INVALID_OPTIONS:async', 'INVALID_OPTIONS:async', 'INVALID_OPTIONS:untilDone'],
    attempts: 0,
    cancelled: [],
  },
  {
    name: 'waitForBulkAction stops on abort and at its deadline; the action goes on in the service',
    actions: () => actions(1, () => 'IN_PROGRESS'),
    call: async (api, c) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const outcomes = [];
      for (const options of [{ signal: controller.signal }, { deadlineMs: 400 }]) {
        await api.waitForBulkAction({ ...c, actionId: 'ba_seed_000', pollMs: 100, ...options }).then(
          () => outcomes.push('resolved'),
          (err) => outcomes.push(`${err.code}:${/goes on in the service \(last seen: 3 of 10 processed\)/.test(err.message)}:${err.action?.actionId}`),
        );
      }
      return outcomes;
    },
    result: ['ABORTED:true:ba_seed_000', 'TIMEOUT:true:ba_seed_000'],
    cancelled: [],
  },
  {
    name: 'waitForBulkAction and listAllBulkActions read their options once: a getter that lies on a second read changes nothing',
    actions: () => actions(1, () => 'FINISHED'),
    call: async (api, c) => {
      let reads = 0;
      const lying = (first, later) => ({ ...c, get actionId() { reads += 1; return reads === 1 ? first : later; } });
      const done = await api.waitForBulkAction({ ...lying('ba_seed_000', '../runs'), pollMs: 100 });
      const afterWait = reads;
      let states = 0;
      const listed = [];
      const options = { ...c, get state() { states += 1; return states === 1 ? 'FINISHED' : 'NONSENSE'; } };
      for await (const action of api.listAllBulkActions(options)) listed.push(action.actionId);
      return [done.actionId, afterWait, listed, states];
    },
    result: ['ba_seed_000', 1, ['ba_seed_000'], 1],
    cancelled: [],
  },
  {
    name: 'a read rate limited with Retry-After waits what the service asked, then succeeds',
    actions: () => actions(1, () => 'FINISHED'),
    faults: () => [{ status: 429, headers: { 'Retry-After': '1' }, body: { error: 'slow down' } }],
    call: (api, c) => new api.Client(c).getBulkAction({ actionId: 'ba_seed_000' }).then((a) => a.state),
    result: 'FINISHED',
    attempts: 2,
    cancelled: [],
    check: (outcome) => {
      if (outcome.elapsedMs < 900) fail(`did not wait (${outcome.elapsedMs} ms)`);
    },
  },
];
