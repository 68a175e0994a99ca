import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvLine } from '../../src/core/csv.ts';

test('CSV cells are quoted, quotes doubled, and formulas kept as text', () => {
  assert.equal(csvLine(['Ann', 'a@b.test', true, false, null, 3]), '"Ann","a@b.test","yes","no","","3"\r\n');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) assert.equal(csvCell(formula), `"'${formula}"`);
  assert.equal(csvCell('a=b'), '"a=b"');
});
