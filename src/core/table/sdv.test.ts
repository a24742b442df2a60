import { describe, expect, it } from 'vitest';
import { schemaFromSdvMetadata } from './sdv.js';

describe('schemaFromSdvMetadata', () => {
  it('maps sdtypes, datetime formats, PII and the primary key', () => {
    const s = schemaFromSdvMetadata({
      primary_key: 'id',
      columns: {
        id: { sdtype: 'id' },
        age: { sdtype: 'numerical', computer_representation: 'Int64' },
        d: { sdtype: 'datetime', datetime_format: '%Y-%m-%d %H:%M:%S' },
        mail: { sdtype: 'email', pii: true },
        state: { sdtype: 'administrative_unit' },
        ok: { sdtype: 'boolean' },
      },
    });
    expect(s.primaryKey).toBe('id');
    expect(s.columns).toEqual([
      { name: 'id', type: 'id', nullable: true },
      { name: 'age', type: 'numerical', nullable: true, integer: true, decimals: 0 },
      { name: 'd', type: 'datetime', nullable: true, format: 'YYYY-MM-DD HH:mm:ss' },
      { name: 'mail', type: 'text', nullable: true, pii: 'email' },
      { name: 'state', type: 'categorical', nullable: true },
      { name: 'ok', type: 'boolean', nullable: true },
    ]);
  });

  it('accepts the multi-table form with one table', () => {
    expect(schemaFromSdvMetadata({ tables: { t: { columns: { a: { sdtype: 'numerical' } } } } }).columns[0].name).toBe('a');
  });

  it('reports every problem at once', () => {
    expect(() => schemaFromSdvMetadata({ columns: { a: {}, b: { sdtype: 'datetime', datetime_format: '%b' } } }, 'm.json')).toThrow(/2 problems/);
    expect(() => schemaFromSdvMetadata([])).toThrow(/expected an object/);
  });
});
