import fs from 'node:fs';
import path from 'node:path';
import { isValidIdNumber } from '@shouwang/domain';

/**
 * Runs after every other test (npm test runs it last): scans the logs that the whole test run
 * wrote — every service process of every integration and browser test — for anything shaped like
 * an ID number with a valid GB 11643 checksum. The tests register households with such (synthetic)
 * numbers, so any leak into a log line fails here.
 */
const logRoot = path.resolve(__dirname, '../../.local/logs/tests');

function logFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.log'))
    .map((d) => path.join(d.parentPath, d.name));
}

describe('personal data never reaches a log', () => {
  const files = logFiles(logRoot);

  it('has the logs of this test run to scan', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it('finds no ID number in any log line', () => {
    const leaks: string[] = [];
    for (const file of files) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const m of line.matchAll(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g)) {
          if (isValidIdNumber(m[0])) leaks.push(`${path.relative(logRoot, file)}:${i + 1}`);
        }
      });
    }
    // Report where, never what.
    expect(leaks).toEqual([]);
  });
});
