import { namePath } from '../households/formModel';
import { formFieldErrors } from './fieldErrors';

test('messages are grouped per form item in the chosen language; request-wide errors are not items', () => {
  const errors = [
    { field: 'members[0].idNumber', message: 'bad checksum', messageZh: '校验位错误' },
    { field: 'members[0].idNumber', message: 'duplicate', messageZh: '重复' },
    { field: 'income.wage', message: 'required' },
    { field: '', message: 'household' },
    { message: 'no field' },
  ];
  expect(formFieldErrors(errors, 'zh', namePath)).toEqual([
    { name: ['members', 0, 'idNumber'], errors: ['校验位错误', '重复'] },
    { name: ['income', 'wage'], errors: ['required'] },
  ]);
  expect(formFieldErrors(errors, 'en', namePath)[0].errors).toEqual(['bad checksum', 'duplicate']);
  expect(formFieldErrors(errors, 'zh', () => null)).toEqual([]);
});
