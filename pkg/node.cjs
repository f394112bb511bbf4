// Node, require(): the CommonJS glue loads the wasm synchronously from disk.
'use strict';
const glue = require('./dist/node/qstash_cancel.js');
const { QStashCancelError } = require('./dist/node/error.cjs');
const { defineApi } = require('./dist/node/api.cjs');

module.exports = defineApi(glue, QStashCancelError);
