// `npm run build` step: copies the files the compiled gateway reads at run time (template defaults, the sample
// mailbox directory, the staff console's page, each channel's static/ folder) next to the compiled JavaScript in dist/.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// A channel that serves files keeps them in its folder's static/: found here, so adding one touches nothing outside it.
const channelStatic = readdirSync('gateway/channels', { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join('gateway/channels', e.name, 'static')))
  .map((e) => join('gateway/channels', e.name, 'static'));
const assets = ['gateway/templates/defaults', 'gateway/admin/ui', 'gateway/mp/mailboxes.sample.json', ...channelStatic];
for (const path of assets) cpSync(path, join('dist', path), { recursive: true });
console.log(
  `copied ${assets.length} asset paths to dist/ (${readdirSync('dist/gateway/templates/defaults').length} template files)`,
);
