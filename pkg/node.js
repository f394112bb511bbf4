// Node, import: the same instance as require(), so `instanceof QStashCancelError` holds across both.
import api from './node.cjs';

export const {
  cancelRuns, cancelRunsDetailed, previewRequest, getBulkAction, listBulkActions, waitForBulkAction, listAllBulkActions, tokenFingerprint, Client,
  QStashCancelError,
} = api;
