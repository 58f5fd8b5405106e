import fc from 'fast-check';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { maskPersonalNumbers } from './mask-personal-numbers';

const id = syntheticIdNumber(7, '1980-01-01'); // 360731198001019071 + check digit
const idX = '36073119800101907X';

describe('maskPersonalNumbers', () => {
  it.each([
    // [input, expected]
    [`某村3组${id}号`, `某村3组${'*'.repeat(18)}号`],
    [idX, '*'.repeat(18)],
    [`身份证:${idX.toLowerCase()}。`, `身份证:${'*'.repeat(18)}。`],
    ['360731 19800101 907X', '****** ******** ****'],
    ['３６０７３１１９８００１０１９０７Ｘ', '*'.repeat(18)], // full-width, as typed with a Chinese IME
    ['360731800101907', '*'.repeat(15)], // first-generation 15-digit ID
    ['6222021234567890123', '*'.repeat(19)], // bank card
    ['6222 0212 3456 7890', '**** **** **** ****'],
    ['电话13912345678', '电话***********'],
    ['+86 139-1234-5678', '+** ***-****-****'],
    ['手机：１３９１２３４５６７８', '手机：***********'],
    ['8613912345678', '*************'],
    // Not personal numbers: left alone.
    ['村委会办公室 0797-1234567', '村委会办公室 0797-1234567'], // office landline
    ['07971234567', '07971234567'], // landline with area code: not mobile-shaped
    ['12345678901', '12345678901'], // 11 digits but not 1[3-9]
    ['139123456789', '139123456789'], // 12 digits: no mobile bounded by non-digits
    ['12345678901234', '12345678901234'], // 14 digits
    ['2025-03-01 至 2025-03-05', '2025-03-01 至 2025-03-05'],
    ['上饶市某县某镇某村3组12号', '上饶市某县某镇某村3组12号'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskPersonalNumbers(input)).toBe(expected);
  });

  const pieces = fc.constantFrom('0', '1', '3', '8', '9', 'X', '１', '３', 'Ｘ', ' ', '-', '－', '村', '号', '+', 'a');
  const text = fc.array(pieces, { maxLength: 60 }).map((p) => p.join(''));
  const ascii = (s: string) => s.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10));

  it('leaves no ID-, card- or mobile-shaped digit run and changes nothing else', () => {
    fc.assert(
      fc.property(text, (input) => {
        const out = maskPersonalNumbers(input);
        expect(out).toHaveLength(input.length);
        for (let i = 0; i < input.length; i++) if (out[i] !== input[i]) expect(out[i]).toBe('*');
        expect(ascii(out)).not.toMatch(/\d{15}/);
        expect(ascii(out)).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      }),
    );
  });

  it('masks every synthetic ID number wherever it stands in text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.string(), fc.string(), (n, before, after) => {
        const idn = syntheticIdNumber(n, '1975-06-30');
        expect(maskPersonalNumbers(`${before} ${idn} ${after}`)).not.toContain(idn);
      }),
    );
  });
});
