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

interface Encoded {
  /**
   * `"body"` (default): the JSON body of the service's API page. `"query"`: query parameters,
   * needed for several values per filter, `workflowUrlExactMatch`, `callerIp`,
   * `flowControlKey` and `count`.
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
}

type NoFilters = { [K in keyof Filters]?: never };

type AtLeastOneFilter =
  | { workflowUrl: OneOrMore<string> }
  | { label: OneOrMore<string> }
  | { fromDate: UnixMillis }
  | { toDate: UnixMillis }
  | { callerIp: OneOrMore<string> }
  | { flowControlKey: OneOrMore<string> };

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
    /** The most runs this call may cancel (query encoding). */
    count?: number;
  };

/** Cancel every run of the account: only with `all: true`, and nothing that narrows it. */
export type CancelAll = Encoded &
  NoFilters & {
    all: true;
    workflowRunIds?: never;
    /** The most runs this call may cancel (query encoding). */
    count?: number;
  };

/** What to cancel: exactly one of the three modes. */
export type CancelRequestOptions = CancelByIds | CancelByFilters | CancelAll;

/** The options of `cancelRuns` and `previewRequest`. */
export type CancelRunsOptions = ConnectionOptions & CancelRequestOptions;

/** The request exactly as it would be sent, with the token replaced by `[redacted]`. */
export interface RequestPreview {
  method: "DELETE";
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/** The stable codes of `QStashCancelError`. */
export type QStashCancelErrorCode =
  | "INVALID_OPTIONS"
  | "UNAUTHORIZED"
  | "RATE_LIMITED"
  | "HTTP_ERROR"
  | "NETWORK_ERROR"
  | "INVALID_RESPONSE";

/** Rate-limit headers of a 429 answer (`null` when absent). */
export interface RateLimitInfo {
  /** Burst-RateLimit-Limit (or the daily RateLimit-Limit). */
  limit: number | null;
  /** Burst-RateLimit-Remaining (or RateLimit-Remaining). */
  remaining: number | null;
  /** Burst-RateLimit-Reset (or RateLimit-Reset), Unix seconds. */
  reset: number | null;
  /** Retry-After, seconds. */
  retryAfter: number | null;
}

/** The properties a `QStashCancelError` carries besides `message`. */
export interface QStashCancelErrorDetails {
  code: QStashCancelErrorCode;
  /** The option at fault (INVALID_OPTIONS), e.g. `"label"`, or `"options"` for the whole object. */
  field?: string;
  /** The HTTP status of the answer (UNAUTHORIZED, RATE_LIMITED, HTTP_ERROR, INVALID_RESPONSE). */
  status?: number;
  /** The service's own message (`{"error": ...}`) or an excerpt of the body. */
  serverMessage?: string;
  /** Present on RATE_LIMITED. */
  rateLimit?: RateLimitInfo;
}

/** Every refusal and failure. Branch on `code`, never on `message`. */
export declare class QStashCancelError extends Error implements QStashCancelErrorDetails {
  constructor(message: string, details?: QStashCancelErrorDetails);
  readonly name: "QStashCancelError";
  readonly code: QStashCancelErrorCode;
  readonly field?: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly rateLimit?: RateLimitInfo;
}

/** Checks the options, sends one request, and resolves to the number of cancelled runs. */
export declare function cancelRuns(options: CancelRunsOptions): Promise<number>;

/** The request `cancelRuns` would send for these options (token redacted); sends nothing. */
export declare function previewRequest(options: CancelRunsOptions): RequestPreview;

/** A connection checked once and reused. */
export declare class Client {
  constructor(options: ConnectionOptions);
  cancelRuns(options: CancelRequestOptions): Promise<number>;
  previewRequest(options: CancelRequestOptions): RequestPreview;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
}
