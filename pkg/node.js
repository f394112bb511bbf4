// Node, import: node.cjs's API, so import and require share one instance and
// `instanceof QStashCancelError` holds across both.
import api from './node.cjs';
import expose from './lib/exports.js';

expose(undefined, api);
export * from './lib/exports.js';
