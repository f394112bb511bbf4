// Node, import: node.cjs's API, so import and require share one instance and
// `instanceof QStashCancelError` holds across both.
import api from './node.cjs';
import expose from './lib/exports.js';

export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions,
  tokenFingerprint, Client, QStashCancelError,
} = expose(undefined, api);
