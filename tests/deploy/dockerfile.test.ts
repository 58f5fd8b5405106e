/**
 * services/<name>/Dockerfile: one per service, all alike, building from the repository root, running
 * `node services/<name>/dist/main.js` as a non-root user and exposing the ports compose and the chart use.
 * (No Docker engine is needed: these are static checks. `docker compose build` is the real test.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeProblems, repoRoot, serviceNames } from './support';

const read = (...p: string[]) => readFileSync(join(repoRoot, ...p), 'utf8');

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

function composeEnv(service: string): Record<string, string> {
  const doc = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown> }>;
  };
  return Object.fromEntries(Object.entries(doc.services[service]?.environment ?? {}).map(([k, v]) => [k, String(v)]));
}

function dockerfileProblems(service: string, text: string): string[] {
  const problems: string[] = [];
  const ins = instructions(text);
  const args = Object.fromEntries(
    ins.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=', 2) as [string, string]),
  );
  const froms = ins.filter((i) => i.op === 'FROM');
  if (froms.length < 2) problems.push(`${service}: not a multi-stage build`);
  for (const f of froms) {
    const image = f.args.split(/\s+/)[0].replace(/^\$\{?(\w+)\}?$/, (_m, v: string) => args[v] ?? _m);
    if (!/^node:20(\.\d+)*-bookworm-slim(@sha256:[0-9a-f]{64})?$/.test(image))
      problems.push(`${service}: FROM ${image} is not node:20-bookworm-slim`);
  }
  if (args.SERVICE !== service) problems.push(`${service}: ARG SERVICE is ${args.SERVICE}`);
  const runs = ins.filter((i) => i.op === 'RUN').map((i) => i.args);
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push(`${service}: no npm ci`);
  if (!runs.some((r) => /\btsc -b\b/.test(r))) problems.push(`${service}: no tsc -b`);
  if (!runs.some((r) => /npm prune --omit=dev/.test(r))) problems.push(`${service}: dev dependencies are not pruned`);
  // A web console (services/<name>/console, a Vite app built from devDependencies) is built before the prune.
  if (existsSync(join(repoRoot, 'services', service, 'console', 'package.json'))) {
    const build = runs.join('\n');
    const consoleBuild = build.search(/npm run build -w "?services\/(\$\{SERVICE\}|\$SERVICE|[a-z-]+)\/console\b/);
    if (consoleBuild < 0 || consoleBuild > build.search(/npm prune --omit=dev/))
      problems.push(`${service}: does not build services/${service}/console before npm prune --omit=dev`);
  }

  const last = ins.slice(ins.lastIndexOf(froms[froms.length - 1]));
  const user = last.filter((i) => i.op === 'USER').pop()?.args;
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user))
    problems.push(`${service}: final stage runs as "${user ?? 'root'}", not a numeric non-root uid`);
  const cmd = last.filter((i) => i.op === 'CMD').pop()?.args;
  let argv: unknown;
  try {
    argv = cmd ? JSON.parse(cmd) : undefined;
  } catch {
    argv = cmd;
  }
  if (JSON.stringify(argv) !== JSON.stringify(['node', `services/${service}/dist/main.js`])) {
    problems.push(
      `${service}: CMD is ${cmd}, wanted ["node", "services/${service}/dist/main.js"] (exec form: node is PID 1 and gets SIGTERM)`,
    );
  }
  const exposed = new Set(last.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/)));
  const env = composeEnv(service);
  for (const v of ['HTTP_PORT', 'GRPC_PORT']) {
    if (env[v] && !exposed.has(env[v]))
      problems.push(`${service}: ${v}=${env[v]} in docker-compose.yml is not EXPOSEd`);
  }
  return problems;
}

/**
 * Whether .dockerignore patterns leave a path out of the build context: the last pattern matching the path
 * or one of its parent folders decides, `!` re-includes (Docker's rules, for the *, ** and ? it uses).
 */
function dockerignored(patterns: string[], path: string): boolean {
  const toRegExp = (p: string) =>
    new RegExp(
      `^${p
        .replace(/^\/+|\/+$/g, '')
        .replace(/\*\*\/|\*\*|\*|\?|[.+^${}()|[\]\\]/g, (t) =>
          t === '**/' ? '(?:.*/)?' : t === '**' ? '.*' : t === '*' ? '[^/]*' : t === '?' ? '[^/]' : `\\${t}`,
        )}$`,
    );
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const re = toRegExp(negated ? pattern.slice(1) : pattern);
    if (prefixes.some((p) => re.test(p))) ignored = !negated;
  }
  return ignored;
}

/** A Dockerfile with its service's name and ports taken out, to compare services with each other. */
function shape(service: string, text: string): string {
  const lines = text.split('\n');
  return lines
    .filter((l, i) => !l.startsWith('EXPOSE') && !lines[i + 1]?.startsWith('EXPOSE'))
    .join('\n')
    .replaceAll(service, '<service>');
}

describe('service Dockerfiles', () => {
  const services = serviceNames();

  it.each(services)(
    'services/%s/Dockerfile builds from the root, runs main.js as non-root and exposes its ports',
    (service) => {
      const file = join(repoRoot, 'services', service, 'Dockerfile');
      expect(existsSync(file)).toBe(true);
      expect(describeProblems(dockerfileProblems(service, readFileSync(file, 'utf8')))).toBe('no problems');
    },
  );

  it('are the same file apart from the service name and ports', () => {
    const [first, ...rest] = services;
    const reference = shape(first, read('services', first, 'Dockerfile'));
    for (const s of rest)
      expect({ service: s, dockerfile: shape(s, read('services', s, 'Dockerfile')) }).toEqual({
        service: s,
        dockerfile: reference,
      });
  });

  it('.dockerignore keeps the context small without dropping what the build needs', () => {
    const lines = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
    // The gateway's console is built in the image from its sources; its node_modules and dist stay out.
    const consoleDir = 'services/gateway/console';
    for (const file of ['package.json', 'index.html', 'vite.config.mts', 'tsconfig.json', 'src/main.tsx'])
      expect({ file, ignored: dockerignored(lines, `${consoleDir}/${file}`) }).toEqual({ file, ignored: false });
    for (const file of ['node_modules/.vite/deps/x.js', 'dist/index.html'])
      expect({ file, ignored: dockerignored(lines, `${consoleDir}/${file}`) }).toEqual({ file, ignored: true });
    // tests/ is a workspace: npm ci needs its package.json even though nothing else of it is copied.
    expect(lines).toContain('!tests/package.json');
    for (const needed of [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.base.json',
      'tsconfig.json',
      'libs',
      'services',
    ]) {
      expect(lines.filter((l) => l === needed || l === `${needed}/` || l === `/${needed}`)).toEqual([]);
    }
  });

  it('the checks catch a root user, a shell-form CMD and an unexposed port', () => {
    const good = read('services', 'identification', 'Dockerfile');
    const bad = good
      .replace(/^USER .*$/m, 'USER root')
      .replace(/^CMD .*$/m, 'CMD node services/identification/dist/main.js')
      .replace(/^EXPOSE .*$/m, 'EXPOSE 9101');
    expect(dockerfileProblems('identification', bad)).toEqual([
      'identification: final stage runs as "root", not a numeric non-root uid',
      'identification: CMD is node services/identification/dist/main.js, wanted ["node", "services/identification/dist/main.js"] (exec form: node is PID 1 and gets SIGTERM)',
      'identification: GRPC_PORT=50051 in docker-compose.yml is not EXPOSEd',
    ]);
    expect(dockerfileProblems('identification', good.replaceAll('node:20-bookworm-slim', 'node:latest'))).toContain(
      'identification: FROM node:latest is not node:20-bookworm-slim',
    );
    const gateway = read('services', 'gateway', 'Dockerfile');
    expect(dockerfileProblems('gateway', gateway.replace(/npm run build -w/g, 'echo skipped'))).toContain(
      'gateway: does not build services/gateway/console before npm prune --omit=dev',
    );
  });
});
