// Builds the published JSON Schema (draft 2020-12) of the canonical letter from its zod source.
import { z } from 'zod';
import { letterSchema } from './letter.js';

export function letterJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://schemas.letter-gateway.example/letter.v1.json',
    title: 'Letter',
    ...z.toJSONSchema(letterSchema, { target: 'draft-2020-12' }),
  };
}
