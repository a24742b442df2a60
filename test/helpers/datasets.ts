import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTable } from '../../src/node/io/read.js';
import type { Table } from '../../src/core/table/table.js';

/** ../shared/datasets beside the repository (present on developer machines and in CI). */
export const DATASETS_DIR = resolve(import.meta.dirname, '../../../shared/datasets');
export const SHARED_NAMES = [
  'adult', 'birdstrikes', 'breast_cancer', 'cardio', 'credit_default',
  'diamonds', 'flights_200k', 'stroke', 'taxis', 'titanic',
] as const;
export type SharedName = (typeof SHARED_NAMES)[number];

export function datasetPath(name: SharedName): string {
  return join(DATASETS_DIR, `${name}.csv`);
}

export const hasShared = existsSync(DATASETS_DIR);

const cache = new Map<string, Promise<Table>>();
/** Loads a shared dataset once per test file. */
export function loadShared(name: SharedName): Promise<Table> {
  let p = cache.get(name);
  if (!p) cache.set(name, (p = readTable(datasetPath(name))));
  return p;
}
