// The official client's cancel path, as a browser bundle would contain it (bench/size.mjs
// bundles this file; bench/overhead.mjs calls it).
import { Client } from '@upstash/workflow';

export function officialCancel({ token, baseUrl, ids }) {
  return new Client({ token, baseUrl }).cancel({ ids });
}
