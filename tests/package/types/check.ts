// Type test: every line marked @ts-expect-error must be a type error (tsc fails otherwise), and
// every other line must compile.
import {
  cancelRuns,
  cancelRunsDetailed,
  getBulkAction,
  listBulkActions,
  listAllBulkActions,
  waitForBulkAction,
  Client,
  type BulkAction,
  type BulkActionPage,
  previewRequest,
  tokenFingerprint,
  QStashCancelError,
  type CancelRunsOptions,
  type QStashCancelErrorCode,
  type RequestPreview,
} from "qstash-cancel";

const token = "t";
const ids: string[] = ["wfr_1", "wfr_2"];

// Accepted calls.
const count: Promise<number> = cancelRuns({ token, workflowUrl: "https://app.example.com/api/wf", label: "nightly" });
void count;
void cancelRuns({ token, workflowRunIds: ids });
void cancelRuns({ token, all: true });
void cancelRuns({ token, baseUrl: "https://qstash-us-east-1.upstash.io", fromDate: new Date(), toDate: 1_700_000_000_000 });
void cancelRuns({ token, label: ["a", "b"], callerIp: "1.2.3.4", encoding: "query", count: 5 });
void cancelRuns({ token, workflowUrl: "https://x.test", workflowUrlExactMatch: true, encoding: "query" });
void cancelRuns({ token, all: true, count: 10, encoding: "query" });
const client = new Client({ token, baseUrl: "https://admin.example.com/qstash" });
void client.cancelRuns({ workflowRunIds: ["a"] });
const preview: RequestPreview = previewRequest({ token, all: true });
const method: "DELETE" = preview.method;
const body: string | null = preview.body;
void [method, body];
const options: CancelRunsOptions = { token, flowControlKey: ["k"], encoding: "query" };
void cancelRuns({ token, host: ["app.example.com"], path: "/api/wf", count: 10 });
void cancelRuns({ token, label: "x", untilDone: false });
void cancelRuns({ token, label: "x", maxPasses: 5000 });
void cancelRunsDetailed({ token, label: "x" }).then((s) => {
  const more: boolean = s.moreMayMatch;
  const lost: number = s.unconfirmed;
  void [more, lost];
});
const unfinished: QStashCancelErrorCode = "UNFINISHED";
void unfinished;
void cancelRuns({ token, label: "x", async: true }).then(async ({ actionId }) => {
  const done: BulkAction = await waitForBulkAction({ token, actionId, pollMs: 500, onProgress: (p) => void p.processed });
  const page: BulkActionPage = await listBulkActions({ token, state: "FINISHED", count: 50 });
  for await (const action of listAllBulkActions({ token, state: "IN_PROGRESS" })) void action.filter;
  void [done.completedAt, page.cursor, await getBulkAction({ token, actionId })];
  void client.waitForBulkAction({ actionId });
});
// @ts-expect-error async applies to filter and all cancels, not to ids
void cancelRuns({ token, workflowRunIds: ids, async: true });
// @ts-expect-error an action id is required
void getBulkAction({ token });
// @ts-expect-error the states are IN_PROGRESS and FINISHED
void listBulkActions({ token, state: "DONE" });
void (new QStashCancelError("m", { code: "ABORTED", unconfirmed: 1, unconfirmedUpTo: 10, unconfirmedRunIds: ["a"], notCancelledRunIds: ["b"] }));
void options;
client.free();

// Refused calls.
// @ts-expect-error an empty call would cancel every run
void cancelRuns({ token });
// @ts-expect-error a misspelt key
void cancelRuns({ token, lable: "x" });
// @ts-expect-error a misspelt key next to a valid filter
void cancelRuns({ token, label: "x", lable: "y" });
// @ts-expect-error ids mixed with filters
void cancelRuns({ token, workflowRunIds: ["a"], label: "x" });
// @ts-expect-error ids mixed with all
void cancelRuns({ token, workflowRunIds: ["a"], all: true });
// @ts-expect-error all must be literally true
void cancelRuns({ token, all: false });
// @ts-expect-error all narrowed by a filter
void cancelRuns({ token, all: true, label: "x" });
// @ts-expect-error the token is required
void cancelRuns({ all: true });
// @ts-expect-error the client holds the token
void client.cancelRuns({ token, all: true });
// @ts-expect-error an unknown encoding
void cancelRuns({ token, all: true, encoding: "form" });
// @ts-expect-error dates are numbers or Dates
void cancelRuns({ token, fromDate: "2024-01-01" });
// @ts-expect-error count does not apply to ids
void cancelRuns({ token, workflowRunIds: ids, count: 3 });
// @ts-expect-error exact match alone is no target
void cancelRuns({ token, workflowUrlExactMatch: true });

// Errors narrow on instanceof and expose stable codes.
try {
  await cancelRuns({ token, all: true });
} catch (err) {
  if (err instanceof QStashCancelError) {
    const code: QStashCancelErrorCode = err.code;
    const field: string | undefined = err.field;
    const reset: number | null | undefined = err.rateLimit?.reset;
    // An UNFINISHED stop at a limit names it: field "maxPasses" or "maxRequests", limit its figure.
    const limit: number | undefined = err.limit;
    void [code, field, reset, limit, err.status, err.serverMessage, err.message];
  }
}

// The inline entry has the same types.
import { cancelRuns as cancelRunsInline } from "qstash-cancel/inline";
const fromInline: Promise<number> = cancelRunsInline({ token: "t", workflowRunIds: ["a"] });
// @ts-expect-error: an empty call does not compile through the inline entry either
void cancelRunsInline({ token: "t" });
void fromInline;

const fingerprint: Promise<string> = tokenFingerprint(token);
// @ts-expect-error a token is a string
tokenFingerprint(42);

// Which account a client hits: typed precisely, never the token.
const target = Client.fromEnv({ QSTASH_TOKEN: "t" }, { baseUrl: "https://proxy.example.com" }).target();
const targetUrl: string = target.baseUrl;
const targetFingerprint: string = target.tokenFingerprint;
const targetFrom: string | null = target.tokenFrom;
const targetRegion: "US_EAST_1" | "EU_CENTRAL_1" | null = target.region;
// @ts-expect-error the target holds no token
void target.token;
// @ts-expect-error fromEnv's options take baseUrl only
Client.fromEnv({}, { token: "t" });
void [targetUrl, targetFingerprint, targetFrom, targetRegion];
