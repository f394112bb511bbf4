// Types of qstash-cancel. Hand-written so that the dangerous calls are type errors:
// `{}` (the service would cancel every run), a misspelt key, ids mixed with filters.

/** Where and as whom requests are sent. */
export interface ConnectionOptions {
  /** The QStash token (QSTASH_TOKEN). It is never put in an error, a log line or a preview. */
  token: string;
  /**
   * The service root, default `https://qstash.upstash.io`; a path prefix (a proxy such as
   * `https://admin.example.com/qstash`) is kept. https only; plain http for loopback hosts.
   */
  baseUrl?: string;
}

/** One value, or several (matched with OR). */
export type OneOrMore<T> = T | readonly T[];

/** Unix milliseconds (an integer) or a valid `Date`. */
export type UnixMillis = number | Date;

/** What `onProgress` receives after every successful request. */
export interface CancelProgress {
  /** The pass, from 1 (`untilDone` makes several). */
  pass: number;
  /** The request within the pass, from 1. */
  batch: number;
  /** The requests of a pass (a long id list is split). */
  batches: number;
  /** Runs this request cancelled. */
  cancelled: number;
  /** Runs the call has cancelled so far. */
  total: number;
}

/** How a call is carried out. */
export interface ExecutionOptions {
  /**
   * Retries of network errors, time-outs, 429 and the statuses 408, 500, 502, 503, 504 and 520
   * to 524, with exponential backoff and full jitter (a 429, or a 503 with Retry-After, waits
   * what the service asked; a wait over 60 s gives up at once).
   * Default `{ retries: 5, baseDelayMs: 250, maxDelayMs: 8000 }`; `false` never retries.
   */
  retry?: boolean | { retries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** The limit of one attempt, in ms, default 30000 (code `TIMEOUT`, retried). */
  timeoutMs?: number;
  /** The limit of the whole call, retries and waits included, in ms (code `TIMEOUT`). */
  deadlineMs?: number;
  /** Stops the call at once, also during a wait (code `ABORTED`). */
  signal?: AbortSignal;
  /** Requests in flight at once for a long id list, 1 to 16 (default 4). */
  concurrency?: number;
  /**
   * Repeat the cancel until a pass cancels nothing. Default `true` for filter and `all`
   * cancels (the service cancels at most 100 runs a call), `false` for id lists. `false` sends
   * one request (plus retries): check `moreMayMatch` in the summary.
   */
  untilDone?: boolean;
  /**
   * The most passes of a repeating cancel, 1 to 100000 (default 1000): a safety stop. A cancel
   * stopped by it while runs were still being cancelled rejects with `UNFINISHED`.
   */
  maxPasses?: number;
  /** Called after every successful request. Exceptions it throws, and rejections of a promise it returns, are ignored. */
  onProgress?: (progress: CancelProgress) => void;
}

interface Encoded extends ExecutionOptions {
  /**
   * `"query"` (default): query parameters, the form of the service's API reference, with no
   * body that could be lost on the way (a DELETE whose body was dropped cancels every run).
   * `"body"`: the JSON body of the service's older API page; it carries one `workflowUrl`, one
   * `label` and dates only, but allows commas in values.
   */
  encoding?: "body" | "query";
}

/** The filters. Several filters must all match (AND); several values of one filter, any (OR). */
export interface Filters {
  /** Runs whose workflow URL starts with this (or equals it, with `workflowUrlExactMatch`). */
  workflowUrl?: OneOrMore<string>;
  /** Match `workflowUrl` exactly instead of as a prefix (query encoding). */
  workflowUrlExactMatch?: boolean;
  /** Runs carrying this label. */
  label?: OneOrMore<string>;
  /** Runs created at or after this instant. */
  fromDate?: UnixMillis;
  /** Runs created at or before this instant. */
  toDate?: UnixMillis;
  /** Runs triggered from this IP (query encoding). */
  callerIp?: OneOrMore<string>;
  /** Runs with this flow-control key (query encoding). */
  flowControlKey?: OneOrMore<string>;
  /** Runs whose workflow URL has this host, e.g. `app.example.com` (query encoding). */
  host?: OneOrMore<string>;
  /** Runs whose workflow URL has this path, e.g. `/api/workflow` (query encoding). */
  path?: OneOrMore<string>;
}

type NoFilters = { [K in keyof Filters]?: never };

type AtLeastOneFilter =
  | { workflowUrl: OneOrMore<string> }
  | { label: OneOrMore<string> }
  | { fromDate: UnixMillis }
  | { toDate: UnixMillis }
  | { callerIp: OneOrMore<string> }
  | { flowControlKey: OneOrMore<string> }
  | { host: OneOrMore<string> }
  | { path: OneOrMore<string> };

/** Cancel exactly these runs (duplicates are sent once). */
export type CancelByIds = Encoded &
  NoFilters & {
    workflowRunIds: readonly string[];
    all?: never;
    count?: never;
  };

/** Cancel the runs matching the filters. */
export type CancelByFilters = Encoded &
  Filters &
  AtLeastOneFilter & {
    workflowRunIds?: never;
    all?: never;
    /**
     * The most runs this whole call may cancel, passes and retries included (query encoding).
     * A request carrying it is not sent again after a failure that leaves open whether the
     * service acted.
     */
    count?: number;
  };

/** Cancel every run of the account: only with `all: true`, and nothing that narrows it. */
export type CancelAll = Encoded &
  NoFilters & {
    all: true;
    workflowRunIds?: never;
    /** The most runs this whole call may cancel, passes and retries included (query encoding). */
    count?: number;
  };

/** What to cancel: exactly one of the three modes. */
export type CancelRequestOptions = CancelByIds | CancelByFilters | CancelAll;

/** The options of `cancelRuns` and `previewRequest`. */
export type CancelRunsOptions = ConnectionOptions & CancelRequestOptions;

/** The (first) request exactly as it would be sent, with the token replaced by `[redacted]`. */
export interface RequestPreview {
  method: "DELETE";
  url: string;
  headers: Record<string, string>;
  body: string | null;
  /** The requests one pass sends (a long id list is split into several). */
  requests: number;
}

/** What `cancelRunsDetailed` resolves to. */
export interface CancelSummary {
  /** Runs the service confirmed cancelled (the sum of its answers). */
  cancelled: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Passes made. */
  passes: number;
  /** Requests that were retries. */
  retries: number;
  /**
   * Requests whose answer was lost (time-out, cut connection, unreadable answer) before a
   * retry went through: the service may have cancelled runs that `cancelled` does not count.
   */
  unconfirmed: number;
  /**
   * Whether more runs may match: the call stopped at `count`, or its single pass
   * (`untilDone: false`) cancelled as many as its cap (`count`, else the service's 100) or lost
   * an answer. Always `false` for id lists and for a cancel that ended on a pass that cancelled
   * nothing.
   */
  moreMayMatch: boolean;
}

/** The stable codes of `QStashCancelError`. */
export type QStashCancelErrorCode =
  | "INVALID_OPTIONS"
  | "UNAUTHORIZED"
  | "RATE_LIMITED"
  | "HTTP_ERROR"
  | "NETWORK_ERROR"
  | "INVALID_RESPONSE"
  | "TIMEOUT"
  | "ABORTED"
  | "UNFINISHED";

/** Rate-limit headers of a 429 answer, or the `Retry-After` of a 503 (`null` when absent). */
export interface RateLimitInfo {
  /** Burst-RateLimit-Limit (or the daily RateLimit-Limit). */
  limit: number | null;
  /** Burst-RateLimit-Remaining (or RateLimit-Remaining). */
  remaining: number | null;
  /** Burst-RateLimit-Reset (or RateLimit-Reset), Unix seconds. */
  reset: number | null;
  /** Retry-After given in seconds (a fraction rounded up). */
  retryAfter: number | null;
  /** Retry-After given as an HTTP date, Unix milliseconds. */
  retryAt: number | null;
}

/** The properties a `QStashCancelError` carries besides `message`. */
export interface QStashCancelErrorDetails {
  code: QStashCancelErrorCode;
  /**
   * The option at fault (INVALID_OPTIONS), e.g. `"label"`, `"options"` for the whole object, or
   * `"client"` for a call on a freed Client.
   */
  field?: string;
  /** What the option must be (INVALID_OPTIONS): the message without the field, to show next to your own name for it. */
  rule?: string;
  /** For a list option, the position (from 0) of the item at fault. */
  index?: number;
  /** The HTTP status of the answer (UNAUTHORIZED, RATE_LIMITED, HTTP_ERROR, INVALID_RESPONSE). */
  status?: number;
  /** The service's own message (`{"error": ...}`) or an excerpt of the body. */
  serverMessage?: string;
  /** Present on RATE_LIMITED. */
  rateLimit?: RateLimitInfo;
  /** For failures after sending began: runs the service confirmed cancelled. */
  cancelled?: number;
  /**
   * For failures after sending began: requests sent whose answer never came or could not be
   * read. The service may have cancelled runs that `cancelled` does not count.
   */
  unconfirmed?: number;
  /** When every unconfirmed request carried a `count`: the most runs they may have cancelled. */
  unconfirmedUpTo?: number;
  /** For id lists: every id not confirmed cancelled (safe to send again). */
  failedRunIds?: string[];
  /** For id lists, in a first pass: ids sent without a confirming answer (the service may have cancelled them). */
  unconfirmedRunIds?: string[];
  /** For id lists, in a first pass: ids never sent, or refused by an answer (not cancelled by this call). */
  notCancelledRunIds?: string[];
}

/** Every refusal and failure. Branch on `code`, never on `message`. */
export declare class QStashCancelError extends Error implements QStashCancelErrorDetails {
  constructor(message: string, details?: QStashCancelErrorDetails);
  readonly name: "QStashCancelError";
  readonly code: QStashCancelErrorCode;
  readonly field?: string;
  readonly rule?: string;
  readonly index?: number;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly rateLimit?: RateLimitInfo;
  readonly cancelled?: number;
  readonly unconfirmed?: number;
  readonly unconfirmedUpTo?: number;
  readonly failedRunIds?: string[];
  readonly unconfirmedRunIds?: string[];
  readonly notCancelledRunIds?: string[];
}

/**
 * Checks the options, carries the call out (split into several requests for a long id list,
 * retried through transient failures, a filter cancel repeated until nothing is left), and
 * resolves to the number of runs the service confirmed cancelled. A call that stops before its
 * job is done rejects, with what was done in the error.
 */
export declare function cancelRuns(options: CancelRunsOptions): Promise<number>;

/** Like `cancelRuns`, resolving to the details of the call. */
export declare function cancelRunsDetailed(options: CancelRunsOptions): Promise<CancelSummary>;

/** The request `cancelRuns` would send for these options (token redacted); sends nothing. */
export declare function previewRequest(options: CancelRunsOptions): RequestPreview;

/** A connection checked once and reused. */
export declare class Client {
  constructor(options: ConnectionOptions);
  /**
   * The connection from environment variables, by the service's conventions: `QSTASH_TOKEN` and
   * `QSTASH_URL`, or `QSTASH_REGION` (`US_EAST_1` | `EU_CENTRAL_1`) with
   * `<REGION>_QSTASH_TOKEN` / `<REGION>_QSTASH_URL`. Pass a Worker's `env`; in Node it defaults
   * to `process.env`. A missing or half-set variable is an INVALID_OPTIONS error naming it.
   */
  static fromEnv(env?: Record<string, unknown>): Client;
  cancelRuns(options: CancelRequestOptions): Promise<number>;
  cancelRunsDetailed(options: CancelRequestOptions): Promise<CancelSummary>;
  previewRequest(options: CancelRequestOptions): RequestPreview;
  /**
   * Releases the wasm memory now instead of at garbage collection (`[Symbol.dispose]` does the
   * same, for `using`). Every later call refuses with INVALID_OPTIONS, `field: "client"`.
   */
  free(): void;
}
