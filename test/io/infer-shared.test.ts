import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../src/core/table/schema.js';
import { type SharedName, hasShared, loadShared } from '../helpers/datasets.js';

const N = 'numerical', C = 'categorical';
/**
 * The types we consider right for each shared dataset. They agree with SDV's metadata except stroke
 * `ever_married` (Yes/No), which we type boolean.
 */
const EXPECTED: Record<SharedName, Record<string, ColumnType>> = {
  adult: { age: N, workclass: C, fnlwgt: N, education: C, 'education-num': N, 'marital-status': C, occupation: C, relationship: C, race: C, sex: C, 'capital-gain': N, 'capital-loss': N, 'hours-per-week': N, 'native-country': C, income: C },
  birdstrikes: { 'Airport Name': C, 'Aircraft Make Model': C, 'Effect Amount of damage': C, 'Flight Date': 'datetime', 'Aircraft Airline Operator': C, 'Origin State': C, 'Phase of flight': C, 'Wildlife Size': C, 'Wildlife Species': C, 'Time of day': C, 'Cost Other': N, 'Cost Repair': N, 'Cost Total $': N, 'Speed IAS in knots': N },
  breast_cancer: { 'mean radius': N, 'worst fractal dimension': N, diagnosis: C },
  cardio: { age: N, gender: C, height: N, weight: N, ap_hi: N, ap_lo: N, cholesterol: C, gluc: C, smoke: C, alco: C, active: C, cardio: C },
  credit_default: { LIMIT_BAL: N, SEX: C, EDUCATION: C, MARRIAGE: C, AGE: N, PAY_0: N, PAY_2: N, PAY_5: N, PAY_6: N, BILL_AMT1: N, PAY_AMT6: N, 'default.payment.next.month': C },
  diamonds: { carat: N, cut: C, color: C, clarity: C, depth: N, table: N, price: N, x: N, y: N, z: N },
  flights_200k: { delay: N, distance: N, time: N },
  stroke: { gender: C, age: N, hypertension: C, heart_disease: C, ever_married: 'boolean', work_type: C, Residence_type: C, avg_glucose_level: N, bmi: N, smoking_status: C, stroke: C },
  taxis: { pickup: 'datetime', dropoff: 'datetime', passengers: C, distance: N, fare: N, tip: N, tolls: N, total: N, color: C, payment: C, pickup_zone: C, dropoff_zone: C, pickup_borough: C, dropoff_borough: C },
  titanic: { Survived: C, Pclass: C, Sex: C, Age: N, SibSp: C, Parch: C, Fare: N, Cabin: C, Embarked: C },
};

describe.skipIf(!hasShared)('schema inference on every shared dataset', () => {
  for (const [name, expected] of Object.entries(EXPECTED) as [SharedName, Record<string, ColumnType>][]) {
    it(`${name}: types as expected, no PII flagged`, async () => {
      const t = await loadShared(name);
      const got = Object.fromEntries(Object.keys(expected).map((c) => [c, t.spec(c).type]));
      expect(got).toEqual(expected);
      expect(t.schema.columns.filter((c) => c.pii)).toEqual([]);
      if (name === 'breast_cancer') expect(t.schema.columns.filter((c) => c.type === N)).toHaveLength(30);
      if (name === 'credit_default') expect(t.schema.columns.filter((c) => c.type === N)).toHaveLength(20);
    }, 30_000);
  }

  it('details: datetime formats, integer-ness, decimals and nullability', async () => {
    const taxis = await loadShared('taxis');
    expect(taxis.spec('pickup').format).toBe('YYYY-MM-DD HH:mm:ss');
    expect(taxis.spec('payment').nullable).toBe(true);
    expect((await loadShared('birdstrikes')).spec('Flight Date').format).toBe('YYYY-MM-DD');
    const adult = await loadShared('adult');
    expect(adult.spec('age')).toMatchObject({ integer: true, decimals: 0, nullable: false });
    const titanic = await loadShared('titanic');
    expect(titanic.spec('Age')).toMatchObject({ integer: false, decimals: 2, minDecimals: 1, nullable: true });
    expect(titanic.column('Age').nullCount).toBe(177);
    expect((await loadShared('stroke')).column('bmi').nullCount).toBe(201);
  }, 30_000);
});
