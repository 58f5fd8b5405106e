import { FEATURE_CODES, WARNING_CODES } from '@shouwang/domain';
import { causeLabel } from './causes';

test('every cause has a Chinese and an English name; features carry their code', () => {
  for (const code of FEATURE_CODES) {
    expect(causeLabel(code, 'zh')).toMatch(new RegExp(`^${code} [\\u4e00-\\u9fff0-9]`));
    expect(causeLabel(code, 'en')).toMatch(new RegExp(`^${code} [a-z0-9]`));
  }
  for (const code of WARNING_CODES) expect(causeLabel(code, 'zh')).toMatch(/[\u4e00-\u9fff]/);
  expect(causeLabel('F6', 'zh')).toBe('F6 唯一住房是土坯房');
  expect(causeLabel('something_new', 'zh')).toBe('something_new');
});
