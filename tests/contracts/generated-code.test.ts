import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const genDir = 'libs/contracts/src/gen';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

describe('generated contracts', () => {
  it('are up to date with proto/ (run `npm run generate` if this fails)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'shouwang-gen-'));
    try {
      execFileSync('npx', ['buf', 'generate', 'proto', '--template', 'proto/buf.gen.yaml', '-o', out], {
        cwd: root,
        stdio: 'pipe',
      });
      const fresh = path.join(out, genDir);
      const committed = path.join(root, genDir);
      expect(listFiles(committed)).toEqual(listFiles(fresh));
      for (const f of listFiles(fresh)) {
        expect({ file: f, text: fs.readFileSync(path.join(committed, f), 'utf8') }).toEqual({
          file: f,
          text: fs.readFileSync(path.join(fresh, f), 'utf8'),
        });
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('pass buf lint', () => {
    expect(() => execFileSync('npx', ['buf', 'lint', 'proto'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});
