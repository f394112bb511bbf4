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
  /**
   * The most HTTP requests the call may send, retries and passes included, 1 to 1000000 (no cap
   * by default): a Cloudflare Worker's subrequest budget. An id list that needs more requests is
   * refused before anything is sent (the error gives the figures; `previewRequest(...).requests`
   * tells in advance); a call that reaches it later rejects with `UNFINISHED`, or with the error
   * of the request it did not send again.
   */
  maxRequests?: number;
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
    async?: never;
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
    /**
     * Start the cancel in the background (query encoding): the service answers at once with the
     * id of the bulk action it tracks it by; follow it with `waitForBulkAction`. The call then
     * resolves to `{ actionId }`. Not with `untilDone` or `maxPasses`.
     */
    async?: boolean;
  };

/** Cancel every run of the account: only with `all: true`, and nothing that narrows it. */
export type CancelAll = Encoded &
  NoFilters & {
    all: true;
    workflowRunIds?: never;
    /** The most runs this whole call may cancel, passes and retries included (query encoding). */
    count?: number;
    /** Start the cancel in the background (see `CancelByFilters.async`). */
    async?: boolean;
  };

/** What to cancel: exactly one of the three modes. */
export type CancelRequestOptions = CancelByIds | CancelByFilters | CancelAll;

/** The options of `cancelRuns` and `previewRequest`. */
export type CancelRunsOptions = ConnectionOptions & CancelRequestOptions;

/** What a cancel started with `async: true` resolves to. */
export interface BulkActionStarted {
  /** The id the service tracks the cancel by: pass it to `waitForBulkAction` or `getBulkAction`. */
  actionId: string;
}

/** The options of a cancel started in the background. */
export type CancelRunsInBackground = CancelRunsOptions & { async: true };
/** The same, through a `Client`. */
export type CancelInBackground = CancelRequestOptions & { async: true };

/** Where a bulk action stands. */
export type BulkActionState = "IN_PROGRESS" | "FINISHED";

/** A filter cancel the service carries out (or carried out) in the background. Kept 7 days. */
export interface BulkAction {
  actionId: string;
  /** What it does: `"cancel"`. */
  kind: string;
  state: BulkActionState;
  /** The in-progress runs that matched the filter when it was created. */
  total: number;
  /** The runs processed so far (the service does not say how many of them it cancelled). */
  processed: number;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms, once finished. */
  completedAt: number | null;
  /** The filter it was created with: filter name to the values given. */
  filter: Record<string, string[]>;
}

/** One page of bulk actions. `state` is applied to each page separately, so a page may hold fewer than `count` actions, or none, while more remain. */
export interface BulkActionPage {
  bulkActions: BulkAction[];
  /** Where the next page starts; `null` on the last page. */
  cursor: string | null;
}

/** How a read of bulk actions is carried out (retries, 429 waits and limits as for a cancel). */
export interface ReadOptions {
  retry?: ExecutionOptions["retry"];
  timeoutMs?: number;
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface GetBulkActionOptions extends ReadOptions {
  /** The id a cancel with `async: true` resolved to. */
  actionId: string;
}

export interface ListBulkActionsOptions extends ReadOptions {
  state?: BulkActionState;
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** The actions one page scans, 1 to 1000 (the service's default 100). */
  count?: number;
}

/** What `waitForBulkAction`'s `onProgress` receives after each reading. */
export interface BulkActionProgress {
  actionId: string;
  state: BulkActionState;
  processed: number;
  total: number;
}

export interface WaitForBulkActionOptions extends GetBulkActionOptions {
  /** Milliseconds between readings, 100 to 600000 (default 1000). */
  pollMs?: number;
  /** The limit of the whole wait (code `TIMEOUT`); the action goes on in the service. */
  deadlineMs?: number;
  /** Called after every reading; exceptions and rejections are ignored. */
  onProgress?: (progress: BulkActionProgress) => void;
}

export interface ListAllBulkActionsOptions extends ListBulkActionsOptions {
  /** The most pages read, 1 to 100000 (default 1000): past it, code `UNFINISHED` with the `cursor` to resume from. */
  maxPages?: number;
}

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
   * `"client"` for a call on a freed Client; for UNFINISHED, the option whose limit stopped the
   * call: `"maxPasses"` or `"maxRequests"` for a cancel, `"maxPages"` for `listAllBulkActions`
   * (absent when no limit did).
   */
  field?: string;
  /** UNFINISHED at a limit: the figure of the option `field` names, all used. */
  limit?: number;
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
   * read. The service may have cancelled runs that `cancelled` does not count. For a start with
   * `async: true`, 1 says a bulk action may be running (the start is then never sent again):
   * look for it with `listBulkActions` before starting another.
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
  /**
   * `waitForBulkAction` stopped (ABORTED, TIMEOUT, INVALID_RESPONSE for a reading that went
   * backwards, or INVALID_OPTIONS with `field: "client"` for a client freed meanwhile): the last
   * good reading of the action, which goes on.
   */
  action?: BulkAction;
  /** `listAllBulkActions` stopped at `maxPages` (UNFINISHED): where to resume. */
  cursor?: string;
}

/** Every refusal and failure. Branch on `code`, never on `message`. */
export declare class QStashCancelError extends Error implements QStashCancelErrorDetails {
  constructor(message: string, details?: QStashCancelErrorDetails);
  readonly name: "QStashCancelError";
  readonly code: QStashCancelErrorCode;
  readonly field?: string;
  readonly rule?: string;
  readonly limit?: number;
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
  readonly action?: BulkAction;
  readonly cursor?: string;
}

/**
 * Checks the options, carries the call out (split into several requests for a long id list,
 * retried through transient failures, a filter cancel repeated until nothing is left), and
 * resolves to the number of runs the service confirmed cancelled. A call that stops before its
 * job is done rejects, with what was done in the error. The options are read once, before this
 * returns; a refusal is a rejected promise, never a throw.
 */
export declare function cancelRuns(options: CancelRunsInBackground): Promise<BulkActionStarted>;
export declare function cancelRuns(options: CancelRunsOptions): Promise<number>;

/** Like `cancelRuns`, resolving to the details of the call. */
export declare function cancelRunsDetailed(options: CancelRunsInBackground): Promise<BulkActionStarted>;
export declare function cancelRunsDetailed(options: CancelRunsOptions): Promise<CancelSummary>;

/** One bulk action; a 404 (`HTTP_ERROR`) when the service does not know the id (or it expired). */
export declare function getBulkAction(options: ConnectionOptions & GetBulkActionOptions): Promise<BulkAction>;

/** One page of bulk actions. */
export declare function listBulkActions(options: ConnectionOptions & ListBulkActionsOptions): Promise<BulkActionPage>;

/**
 * Reads the bulk action every `pollMs` until it is FINISHED and resolves to it; `onProgress` sees
 * every reading. An abort or `deadlineMs` stops the waiting (`ABORTED`, `TIMEOUT`, with the last
 * reading as `action`, also when it comes during a reading), not the cancel, which goes on in the
 * service. A reading whose `processed` or `total` is lower than the one before ends the wait with
 * INVALID_RESPONSE and the last good reading as `action`.
 */
export declare function waitForBulkAction(options: ConnectionOptions & WaitForBulkActionOptions): Promise<BulkAction>;

/** Every bulk action, page after page (`for await (const action of listAllBulkActions(...))`). */
export declare function listAllBulkActions(options: ConnectionOptions & ListAllBulkActionsOptions): AsyncIterableIterator<BulkAction>;

/** The request `cancelRuns` would send for these options (token redacted); sends nothing. */
export declare function previewRequest(options: CancelRunsOptions): RequestPreview;

/**
 * Which account a token opens, for a person to compare (staging or production?) without seeing the
 * token: 12 hex digits of SHA-256 over a fixed prefix and the token, as `"xxxx-xxxx-xxxx"`; never
 * any characters of the token. Sends nothing. Refuses (INVALID_OPTIONS, field `token`) anything
 * but a non-empty string.
 */
export declare function tokenFingerprint(token: string): Promise<string>;

/**
 * Which account a client's calls hit (`client.target()`), as the library chose it: never the
 * token, and never a second reading of the environment.
 */
export interface ClientTarget {
  /** Where requests go: the service's region URL or a proxy (`"https://qstash.upstash.io"`). */
  baseUrl: string;
  /** The token's fingerprint, as `tokenFingerprint` writes it (`"xxxx-xxxx-xxxx"`). */
  tokenFingerprint: string;
  /** The environment variable the token came from (`Client.fromEnv`); `null` when given directly. */
  tokenFrom: string | null;
  /** The region `QSTASH_REGION` named (`Client.fromEnv`); `null` otherwise. */
  region: "US_EAST_1" | "EU_CENTRAL_1" | null;
}

/** A connection checked once and reused. */
export declare class Client {
  constructor(options: ConnectionOptions);
  /**
   * The connection from environment variables, by the service's conventions: `QSTASH_TOKEN` and
   * `QSTASH_URL`, or `QSTASH_REGION` (`US_EAST_1` | `EU_CENTRAL_1`) with
   * `<REGION>_QSTASH_TOKEN` / `<REGION>_QSTASH_URL`. Pass a Worker's `env`; in Node it defaults
   * to `process.env`. A missing or half-set variable is an INVALID_OPTIONS error naming it.
   * Each variable is read once. `baseUrl` replaces the URL the variables give (a proxy), with
   * the token they name.
   */
  static fromEnv(env?: Record<string, unknown>, options?: { baseUrl?: string }): Client;
  /** Which account the calls hit: the base URL, the token's fingerprint, its variable, the region. */
  target(): ClientTarget;
  cancelRuns(options: CancelInBackground): Promise<BulkActionStarted>;
  cancelRuns(options: CancelRequestOptions): Promise<number>;
  cancelRunsDetailed(options: CancelInBackground): Promise<BulkActionStarted>;
  cancelRunsDetailed(options: CancelRequestOptions): Promise<CancelSummary>;
  previewRequest(options: CancelRequestOptions): RequestPreview;
  getBulkAction(options: GetBulkActionOptions): Promise<BulkAction>;
  listBulkActions(options: ListBulkActionsOptions): Promise<BulkActionPage>;
  /**
   * Like the function. The client is looked up at every reading: freed meanwhile, the wait ends
   * with INVALID_OPTIONS, `field: "client"` and the last reading as `action`; the cancel goes on.
   */
  waitForBulkAction(options: WaitForBulkActionOptions): Promise<BulkAction>;
  listAllBulkActions(options?: ListAllBulkActionsOptions): AsyncIterableIterator<BulkAction>;
  /**
   * Releases the wasm memory now instead of at garbage collection (`[Symbol.dispose]` does the
   * same, for `using`). Every later call refuses with INVALID_OPTIONS, `field: "client"`. Called
   * during one of this client's calls (from a getter of its options), it never throws: the call
   * goes on, and the memory is released when it returns.
   */
  free(): void;
}
