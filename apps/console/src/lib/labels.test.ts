import { describe, expect, it } from 'vitest';
import { countsText } from './labels';

describe('countsText (L-2: a run in words)', () => {
  it('says what was done first and what waits last, whatever order the engine counted in', () => {
    expect(countsText({ waiting_for_change: 1, failed: 2, updated: 10, created: 176 })).toBe(
      '176 created, 10 updated, 2 failed, 1 refused before, waiting for a change',
    );
  });

  it('says so when a run changed nothing, and leaves out counts it has no words for', () => {
    expect(countsText({})).toBe('no changes');
    expect(countsText({ somethingNew: 3 })).toBe('no changes');
  });
});
