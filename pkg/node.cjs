// Node, require(): the CommonJS glue loads the wasm synchronously from disk.
'use strict';
const glue = require('./dist/node/qstash_cancel.js');
const { QStashCancelError } = require('./dist/node/error.cjs');
const { defineClient } = require('./dist/node/client.cjs');

glue.__setErrorClass(QStashCancelError);

module.exports = {
  cancelRuns: glue.cancelRuns,
  cancelRunsDetailed: glue.cancelRunsDetailed,
  previewRequest: glue.previewRequest,
  Client: defineClient(glue.Client, QStashCancelError),
  QStashCancelError,
};
