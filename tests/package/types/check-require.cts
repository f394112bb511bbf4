// The CommonJS view of the same types (the "require" condition).
import qstash = require("qstash-cancel");

void qstash.cancelRuns({ token: "t", label: "nightly" });
// @ts-expect-error an empty call would cancel every run
void qstash.cancelRuns({ token: "t" });
export {};
