import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors';
import { resolveDatasetVersionId } from '../../../main/training/resolve-dataset-version';

const lookup = {
  getVersion: (id: string) => (id.startsWith('ver_') ? { id } : undefined),
  get: (id: string) => (id === 'ds_frozen' || id === 'ds_fresh' ? { name: id } : undefined),
  versions: (id: string) => (id === 'ds_frozen' ? [{ id: 'ver_3' }, { id: 'ver_2' }] : []),
};

describe('what a job trains on: a version id, or a dataset id meaning its newest frozen version', () => {
  it('takes a version id as it is and a dataset id as its newest version', () => {
    expect(resolveDatasetVersionId(lookup, 'ver_1')).toBe('ver_1');
    expect(resolveDatasetVersionId(lookup, 'ds_frozen')).toBe('ver_3');
  });

  it('refuses an unknown id (NOT_FOUND) and a dataset never frozen (BAD_INPUT, says how)', () => {
    const error = (id: string) => {
      try {
        resolveDatasetVersionId(lookup, id);
      } catch (e) {
        return e as AppError;
      }
      throw new Error('no error');
    };
    expect(error('nope')).toMatchObject({ code: 'NOT_FOUND' });
    expect(error('ds_fresh')).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/freeze it first/),
    });
    expect(error('nope')).toBeInstanceOf(AppError);
  });
});
