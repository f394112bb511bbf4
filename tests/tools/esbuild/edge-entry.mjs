// A script for Vercel's EdgeVM, bundled by esbuild with the "edge-light" condition: nothing but the
// import. EdgeVM evaluates scripts, so the call is left on the global object.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

globalThis.cancel = async (token, baseUrl, id) => {
  const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
  return { cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused };
};
