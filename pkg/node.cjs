// Node, require(): the CommonJS glue loads the wasm synchronously from disk.
'use strict';
const glue = require('./dist/node/qstash_cancel.js');
const { QStashCancelError } = require('./dist/node/error.cjs');
const { defineApi } = require('./dist/node/api.cjs');

// Node 18 has no global crypto; required only there, so an ESM bundle of this file (where
// require throws) loads on the Node versions that have it.
const webCrypto = () => globalThis.crypto?.subtle ?? require('node:crypto').webcrypto.subtle;

module.exports = defineApi(glue, QStashCancelError, webCrypto);
