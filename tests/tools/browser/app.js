// A page's script, as Vite and webpack build it: nothing but the import.
import { cancelRuns, QStashCancelError } from 'qstash-cancel';

window.cancel = async (token, baseUrl, id) => {
  const refused = await cancelRuns({ token, baseUrl }).catch((err) => err instanceof QStashCancelError && err.code);
  return { cancelled: await cancelRuns({ token, baseUrl, workflowRunIds: [id] }), refused };
};
window.ready = true;
