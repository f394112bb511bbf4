// A page's script bundled by esbuild for the browser, with the inline entry (the .wasm inside).
import { cancelRuns, QStashCancelError } from 'qstash-cancel/inline';

window.cancel = async (token, baseUrl, id) => {
  const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
  return { cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused };
};
window.ready = true;
