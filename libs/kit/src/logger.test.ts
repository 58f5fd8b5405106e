import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger('t', 'info', stream) };
}

describe('logger redaction', () => {
  const secret = '360731197005129999';
  it.each([
    ['top level', { idNumber: secret }],
    ['nested', { member: { idNumber: secret } }],
    ['in a member list', { household: { members: [{ idNumber: secret, name: 'a' }] } }],
    ['in a list', { members: [{ idNumber: secret }] }],
    ['phone and bank account', { contact: { phone: secret, bankAccount: secret } }],
  ])('never writes ID numbers, phones or bank accounts (%s)', (_n, obj) => {
    const { lines, logger } = capture();
    logger.info(obj, 'hello');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('keeps ordinary fields', () => {
    const { lines, logger } = capture();
    logger.info({ areaCode: '360731102203' }, 'ok');
    expect(JSON.parse(lines[0])).toMatchObject({ areaCode: '360731102203', service: 't', msg: 'ok' });
  });
});
