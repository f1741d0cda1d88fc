// `npm run build` step: copies the files the compiled gateway reads at run time (template defaults, the sample
// mailbox directory, the staff console's page) next to the compiled JavaScript in dist/.
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const assets = ['gateway/templates/defaults', 'gateway/admin/ui', 'gateway/mp/mailboxes.sample.json', 'gateway/channels/web/static'];
for (const path of assets) cpSync(path, join('dist', path), { recursive: true });
console.log(`copied ${assets.length} asset paths to dist/ (${readdirSync('dist/gateway/templates/defaults').length} template files)`);
