import fc from 'fast-check';
import { proposedForExit } from './exit-review';

describe('proposedForExit (集中研判)', () => {
  const above = { features: [] as string[], incomeBelowLine: false };
  it.each([
    ['no cause triggers, income above the line', ['F2', 'F4'], above, true],
    ['one cause still triggers', ['F2', 'F4'], { features: ['F4'], incomeBelowLine: false }, false],
    ['a new feature that was not a cause does not keep it', ['F2'], { features: ['F6'], incomeBelowLine: false }, true],
    ['income below the line keeps it', ['F2'], { features: [], incomeBelowLine: true }, false],
    ['identified without causes, income above the line', [], above, true],
    ['no assessment', ['F2'], null, false],
    ['assessment failed', ['F2'], { features: [], incomeBelowLine: false, errorCode: 'no_monitoring_line' }, false],
  ] as const)('%s', (_name, causes, current, expected) => {
    expect(proposedForExit(causes, current)).toBe(expected);
  });

  const feature = fc.constantFrom('F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10');
  it('never proposes a household whose income is below the line', () => {
    fc.assert(
      fc.property(fc.array(feature), fc.array(feature), (causes, features) => {
        expect(proposedForExit(causes, { features, incomeBelowLine: true })).toBe(false);
      }),
    );
  });
  it('never proposes a household one of whose causes still triggers', () => {
    fc.assert(
      fc.property(fc.array(feature, { minLength: 1 }), fc.array(feature), (causes, others) => {
        const features = [...others, causes[0]!];
        expect(proposedForExit(causes, { features, incomeBelowLine: false })).toBe(false);
      }),
    );
  });
});
