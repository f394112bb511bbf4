// A module Worker that runs one shared scenario per request with the package's workerd entry
// (what wrangler picks through the "workerd" export condition).
import * as api from './node_modules/qstash-cancel/workerd.js';
import { scenarios, settle } from './scenarios.mjs';

export default {
  async fetch(request) {
    const { index, connection } = await request.json();
    const outcome = await settle(scenarios[index].call(api, connection), api.QStashCancelError);
    return Response.json(outcome);
  },
};
