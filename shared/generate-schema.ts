// Writes shared/letter.schema.json from the zod source; a test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { letterJsonSchema } from './letter-json-schema.js';

const target = fileURLToPath(new URL('./letter.schema.json', import.meta.url));
writeFileSync(target, JSON.stringify(letterJsonSchema(), null, 2) + '\n');
console.log(`wrote ${target}`);
