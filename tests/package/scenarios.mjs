// The scenarios every runtime runs: the same calls, the same expected effects on the emulator.
// `api` is the package as the runtime loaded it. Plain ESM with no Node imports, so the
// Worker and the browser page load this very file.
/** The runs every scenario starts from: two workflows, two labels, one finished run. */
export function sampleRuns() {
  return [
    { id: 'wfr_a1', workflowUrl: 'https://app.test/api/orders', label: 'nightly', createdAt: 1_700_000_000_000 },
    { id: 'wfr_a2', workflowUrl: 'https://app.test/api/orders', label: 'adhoc', createdAt: 1_700_000_100_000 },
    { id: 'wfr_b1', workflowUrl: 'https://app.test/api/billing', label: 'nightly', createdAt: 1_700_000_200_000 },
    { id: 'wfr_b2', workflowUrl: 'https://app.test/api/billing', label: 'nightly', createdAt: 1_700_000_300_000, state: 'RUN_SUCCESS' },
  ];
}

export const scenarios = [
  {
    name: 'filter cancel: url prefix and label',
    call: (api, c) => api.cancelRuns({ ...c, workflowUrl: 'https://app.test/api/orders', label: 'nightly' }),
    result: 1,
    cancelled: ['wfr_a1'],
  },
  {
    name: 'ids through a Client, query form, duplicates sent once',
    call: (api, c) => new api.Client(c).cancelRuns({ workflowRunIds: ['wfr_b1', 'wfr_a2', 'wfr_b1'], encoding: 'query' }),
    result: 2,
    cancelled: ['wfr_a2', 'wfr_b1'],
    query: '?workflowRunIds=wfr_b1&workflowRunIds=wfr_a2',
  },
  {
    name: 'date range with Date objects',
    call: (api, c) =>
      api.cancelRuns({ ...c, fromDate: new Date(1_700_000_050_000), toDate: 1_700_000_250_000 }),
    result: 2,
    cancelled: ['wfr_a2', 'wfr_b1'],
    query: '?fromDate=1700000050000&toDate=1700000250000',
  },
  {
    name: 'all: true cancels every active run, and says so in a header',
    call: (api, c) => api.cancelRuns({ ...c, all: true }),
    result: 3,
    cancelled: ['wfr_a1', 'wfr_a2', 'wfr_b1'],
    query: '',
    check: (_, { log }) => {
      if (log[0].cancelAll !== 'true') throw new Error(`Cancel-All-Runs: ${log[0].cancelAll}`);
    },
  },
  {
    name: 'the body form on request; only a cancel-all carries the header',
    call: (api, c) => api.cancelRuns({ ...c, label: 'adhoc', encoding: 'body' }),
    result: 1,
    cancelled: ['wfr_a2'],
    body: '{"label":"adhoc"}',
    check: (_, { log }) => {
      if (log[0].cancelAll !== null) throw new Error(`Cancel-All-Runs: ${log[0].cancelAll}`);
    },
  },
  {
    name: 'an empty call is refused and sends nothing',
    call: (api, c) => api.cancelRuns({ ...c }),
    error: { code: 'INVALID_OPTIONS', field: 'options' },
    cancelled: [],
  },
  {
    name: 'the options are read before cancelRuns returns: changing them afterwards changes nothing',
    call: (api, c) => {
      const options = { ...c, workflowRunIds: ['wfr_a1'] };
      const promise = api.cancelRuns(options);
      options.workflowRunIds.push('wfr_b1');
      options.workflowRunIds = ['wfr_a2'];
      options.token = 'another-token';
      return promise;
    },
    result: 1,
    cancelled: ['wfr_a1'],
  },
  {
    name: 'a refusal is a rejected promise, never a throw',
    call: (api, c) => {
      try {
        return api.cancelRuns({ ...c, label: 5 });
      } catch (err) {
        return Promise.resolve(`threw at once: ${err?.message}`);
      }
    },
    error: { code: 'INVALID_OPTIONS', field: 'label' },
    cancelled: [],
  },
  {
    name: 'tokenFingerprint names the account without a piece of the token, and sends nothing',
    // The expected value is Python's hashlib.sha256(b'qstash-cancel token fingerprint v1\\na'), not this code's.
    call: async (api, c) => [await api.tokenFingerprint('a'), await api.tokenFingerprint(c.token), await api.tokenFingerprint(c.token)],
    check: ({ value: [known, mine, again] }, { baseUrl }) => {
      if (known !== '11bf-77bd-3430') throw new Error(`fingerprint of "a": ${known}`);
      if (!/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/.test(mine) || mine !== again) throw new Error(`fingerprint: ${mine} / ${again}`);
      if (baseUrl.includes(mine)) throw new Error('unexpected');
    },
    cancelled: [],
    attempts: 0,
  },
  {
    name: 'client.target() reports the account the calls use, read once from a hostile env: lying getters, a Proxy',
    call: async (api, c) => {
      const reads = {};
      // Each variable answers the right value on its first read and a decoy on any later one;
      // QSTASH_REGION is unset. (A getter that throws is refused, naming the variable:
      // hostile.test.mjs.)
      const env = new Proxy({}, {
        get(_, name) {
          reads[name] = (reads[name] ?? 0) + 1;
          if (name === 'QSTASH_REGION') return reads[name] === 1 ? undefined : 'EU_CENTRAL_1';
          if (name === 'QSTASH_TOKEN') return reads[name] === 1 ? c.token : 'decoy-token-of-another-account';
          if (name === 'QSTASH_URL') return reads[name] === 1 ? c.baseUrl : 'https://decoy.example.com';
          return undefined;
        },
      });
      const client = api.Client.fromEnv(env);
      const target = client.target();
      const again = client.target();
      const cancelled = await client.cancelRuns({ workflowRunIds: ['wfr_a1'] });
      return [target, again, cancelled, await api.tokenFingerprint(c.token), { ...reads }, leakIn(JSON.stringify(target), c.token) ?? null];
    },
    check: ({ value: [target, again, cancelled, fingerprint, reads, leak] }, { baseUrl }) => {
      const want = { baseUrl, tokenFingerprint: fingerprint, tokenFrom: 'QSTASH_TOKEN', region: null };
      if (JSON.stringify(target) !== JSON.stringify(want)) throw new Error(`target: ${JSON.stringify(target)}`);
      if (JSON.stringify(again) !== JSON.stringify(want)) throw new Error(`target again: ${JSON.stringify(again)}`);
      if (cancelled !== 1) throw new Error(`cancelled: ${cancelled}`);
      if (reads.QSTASH_TOKEN !== 1 || reads.QSTASH_URL !== 1 || reads.QSTASH_REGION !== 1) throw new Error(`reads: ${JSON.stringify(reads)}`);
      if (leak !== null) throw new Error(`the token leaked: ${leak}`);
    },
    cancelled: ['wfr_a1'],
  },
  {
    name: 'client.target(): a region\'s token with a proxy (fromEnv\'s baseUrl), a region\'s URL, and a token given directly',
    call: async (api, c) => {
      const regional = { QSTASH_REGION: 'US_EAST_1', US_EAST_1_QSTASH_TOKEN: c.token, QSTASH_TOKEN: 'decoy-token-of-another-account' };
      const proxied = api.Client.fromEnv(regional, { baseUrl: c.baseUrl });
      const cancelled = await proxied.cancelRuns({ workflowRunIds: ['wfr_b1'] });
      const refused = (() => {
        try {
          return api.Client.fromEnv(regional, { token: c.token });
        } catch (err) {
          return err.field;
        }
      })();
      const given = new api.Client(c);
      const targets = [proxied.target(), api.Client.fromEnv(regional).target(), given.target()];
      given.free();
      const freed = (() => {
        try {
          return given.target();
        } catch (err) {
          return err.field;
        }
      })();
      return [targets, cancelled, await api.tokenFingerprint(c.token), refused, freed];
    },
    check: ({ value: [[proxied, regional, given], cancelled, fingerprint, refused, freed] }, { baseUrl }) => {
      const wants = [
        [proxied, { baseUrl, tokenFingerprint: fingerprint, tokenFrom: 'US_EAST_1_QSTASH_TOKEN', region: 'US_EAST_1' }],
        [regional, { baseUrl: 'https://qstash-us-east-1.upstash.io', tokenFingerprint: fingerprint, tokenFrom: 'US_EAST_1_QSTASH_TOKEN', region: 'US_EAST_1' }],
        [given, { baseUrl, tokenFingerprint: fingerprint, tokenFrom: null, region: null }],
      ];
      for (const [got, want] of wants) if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`target: ${JSON.stringify(got)}`);
      if (cancelled !== 1) throw new Error(`cancelled: ${cancelled}`);
      if (refused !== 'token') throw new Error(`fromEnv's options: ${refused}`);
      if (freed !== 'client') throw new Error(`a freed client's target: ${freed}`);
    },
    cancelled: ['wfr_b1'],
  },
  {
    name: 'tokenFingerprint refuses what is not a token, naming the field',
    call: (api) => api.tokenFingerprint(''),
    error: { code: 'INVALID_OPTIONS', field: 'token' },
    cancelled: [],
  },
  {
    name: 'a typo is refused with a suggestion',
    call: (api, c) => api.cancelRuns({ ...c, lable: 'nightly' }),
    error: { code: 'INVALID_OPTIONS', field: 'lable', message: /did you mean "label"/ },
    cancelled: [],
  },
  {
    name: 'a wrong token is UNAUTHORIZED',
    call: (api, c) => api.cancelRuns({ ...c, token: 'wrong-token', all: true }),
    error: { code: 'UNAUTHORIZED', status: 401 },
    cancelled: [],
  },
  {
    name: 'a 503 from the edge (retry: false) is an HTTP_ERROR with the page text',
    faults: () => [{ status: 503, body: '<html><title>503 Service Unavailable</title></html>' }],
    call: (api, c) => api.cancelRuns({ ...c, all: true, retry: false }),
    error: { code: 'HTTP_ERROR', status: 503, serverMessage: '503 Service Unavailable' },
    cancelled: [],
  },
];

/**
 * Runs `scenario.call(api, connection, record)` where the runtime lives and reports the outcome
 * as plain data (it crosses process and page boundaries): the value or the error's properties,
 * what `onProgress` saw (`record.progress`), and how long the call took.
 */
export async function settle(scenario, api, connection) {
  const record = { progress: [] };
  const started = Date.now();
  const outcome = { record };
  try {
    outcome.value = await scenario.call(api, connection, record);
  } catch (err) {
    const { name, message, stack, code, field, limit, status, serverMessage, rateLimit, cancelled, failedRunIds } = err;
    const { unconfirmed, unconfirmedUpTo, unconfirmedRunIds, notCancelledRunIds } = err;
    outcome.error = {
      name, message, stack, code, field, limit, status, serverMessage, rateLimit, cancelled, failedRunIds,
      unconfirmed, unconfirmedUpTo, unconfirmedRunIds, notCancelledRunIds,
      text: String(err),
      isInstance: err instanceof api.QStashCancelError,
    };
  }
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}

const unicodeEscape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The forms a server or proxy may echo the token in (see src/rules/token.rs). */
export function echoForms(token) {
  const base64 = (text) => btoa(text);
  const percentEscape = (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    raw: token,
    'JSON-escaped slash': token.replaceAll('/', '\\/'),
    'percent-encoded': encodeURIComponent(token),
    'percent-encoded, lower case': encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    base64url: token.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
    'base64 of the header': base64(`Bearer ${token}`),
    // Escapes a writer may put on characters, in answers that need not parse as JSON.
    'every character \\u-escaped': [...token].map(unicodeEscape).join(''),
    'every other character \\u-escaped': [...token].map((c, i) => (i % 2 ? c : unicodeEscape(c))).join(''),
    'HTML decimal entities': [...token].map((c) => `&#${c.charCodeAt(0)};`).join(''),
    'HTML hex entities and \\u, mixed': [...token].map((c, i) => (i % 2 ? `&#x${c.charCodeAt(0).toString(16)};` : unicodeEscape(c))).join(''),
    // Percent-encoded byte by byte, letters and digits included (`%74%6F%6B...`).
    'every byte percent-encoded': [...token].map(percentEscape).join(''),
    'every byte percent-encoded, lower case': [...token].map((c) => percentEscape(c).toLowerCase()).join(''),
    'every other character percent-encoded': [...token].map((c, i) => (i % 2 ? c : percentEscape(c))).join(''),
    'every other character percent-encoded, lower case': [...token].map((c, i) => (i % 2 ? c : percentEscape(c).toLowerCase())).join(''),
    // Out of shape: spaced out, in capitals, backwards.
    'spaced out': [...token].join(' '),
    'upper-cased': token.toUpperCase(),
    reversed: [...token].reverse().join(''),
  };
}

/** Where `text` shows a 12-character piece of the token in one of its echo forms, or undefined. */
export function leakIn(text, token) {
  for (const [form, encoded] of Object.entries(echoForms(token))) {
    const inner = form.startsWith('base64 of') ? encoded.slice(12, -4) : encoded;
    for (let at = 0; at + 12 <= inner.length; at++) {
      if (text.includes(inner.slice(at, at + 12))) return `${form}: ${inner.slice(at, at + 12)}`;
    }
  }
  return undefined;
}
