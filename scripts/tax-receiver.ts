// A local receiver speaking the tax authority's envelope, for development:
//   npm run tax-receiver [-- <port> [<dir>]]   (default: a free port, dir ./data/tax-received)
// Then start the service with TAX_TRANSPORT=https TAX_ENDPOINT=<the printed URL>.
import { startReceiver } from '../src/tax/receiver.ts';

const port = Number(process.argv[2] ?? 0);
const dir = process.argv[3] ?? './data/tax-received';
const receiver = await startReceiver({ port, dir });
console.log(`Tax receiver listening on ${receiver.url} (messages kept in ${dir})`);
console.log(`Start the service with: TAX_TRANSPORT=https TAX_ENDPOINT=${receiver.url} npm start`);
