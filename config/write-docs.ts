// `npm run docs:config`: rewrites config/example.env and the README's settings table from config/settings.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { exampleEnv, withSettingsTable } from './docs.js';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('config/example.env', root), exampleEnv());
const readme = new URL('README.md', root);
writeFileSync(readme, withSettingsTable(readFileSync(readme, 'utf8')));
console.log('wrote config/example.env and the README settings table');
