import { describe, it } from 'vitest';
import { KNOWN_ANSWERS } from './known-answers.js';

describe('drift tests: known answers', () => {
  for (const [id, check] of Object.entries(KNOWN_ANSWERS)) it(`${id} matches its hand-computed value`, check);
});
