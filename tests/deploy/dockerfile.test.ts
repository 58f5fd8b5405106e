/**
 * The Dockerfile at the root builds every service's image (build args SERVICE and PORTS, which
 * docker-compose.yml passes per service): from the repository root, running the service's
 * dist/main.js as a non-root user and exposing the ports compose and the chart use.
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

interface ComposeBuild {
  dockerfile?: string;
  args?: Record<string, unknown>;
}

function composeService(service: string): { environment: Record<string, string>; build: ComposeBuild } {
  const doc = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown>; build?: ComposeBuild }>;
  };
  const svc = doc.services[service];
  return {
    environment: Object.fromEntries(Object.entries(svc?.environment ?? {}).map(([k, v]) => [k, String(v)])),
    build: svc?.build ?? {},
  };
}

/** What is wrong with building `service` from the Dockerfile `text` with these build args. */
function dockerfileProblems(service: string, text: string, buildArgs: Record<string, string>): string[] {
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
  if (buildArgs.SERVICE !== service) problems.push(`${service}: build arg SERVICE is ${buildArgs.SERVICE}`);
  if (args.SERVICE !== undefined)
    problems.push(`${service}: ARG SERVICE has a default (${args.SERVICE}); it must be given`);
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
  if (JSON.stringify(argv) !== JSON.stringify(['node', 'main.js'])) {
    problems.push(`${service}: CMD is ${cmd}, wanted ["node", "main.js"] (exec form: node is PID 1 and gets SIGTERM)`);
  }
  if (!last.some((i) => i.op === 'RUN' && /ln -s "?services\/\$\{SERVICE\}\/dist\/main\.js"? main\.js/.test(i.args)))
    problems.push(`${service}: main.js is not linked to services/\${SERVICE}/dist/main.js`);
  const exposed = new Set(
    last
      .filter((i) => i.op === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/))
      .flatMap((port) => (/^\$\{?PORTS\}?$/.test(port) ? (buildArgs.PORTS ?? '').split(/\s+/) : [port])),
  );
  const { environment } = composeService(service);
  for (const v of ['HTTP_PORT', 'GRPC_PORT']) {
    if (environment[v] && !exposed.has(environment[v]))
      problems.push(`${service}: ${v}=${environment[v]} in docker-compose.yml is not EXPOSEd`);
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

describe('service Dockerfiles', () => {
  const services = serviceNames();

  const dockerfile = read('Dockerfile');
  const argsOf = (service: string) =>
    Object.fromEntries(Object.entries(composeService(service).build.args ?? {}).map(([k, v]) => [k, String(v)]));

  it.each(services)(
    'the Dockerfile builds %s from the root, runs its main.js as non-root and exposes its ports',
    (service) => {
      expect(composeService(service).build.dockerfile).toBe('Dockerfile');
      expect(describeProblems(dockerfileProblems(service, dockerfile, argsOf(service)))).toBe('no problems');
    },
  );

  it('is the only Dockerfile: no service keeps one of its own', () => {
    for (const service of services) expect(existsSync(join(repoRoot, 'services', service, 'Dockerfile'))).toBe(false);
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

  it('the checks catch a root user, a shell-form CMD, an unexposed port and a missing build arg', () => {
    const bad = dockerfile
      .replace(/^USER .*$/m, 'USER root')
      .replace(/^CMD .*$/m, 'CMD node main.js')
      .replace(/^ARG SERVICE$/m, 'ARG SERVICE=identification');
    expect(dockerfileProblems('identification', bad, { SERVICE: 'identification', PORTS: '9101' })).toEqual([
      'identification: ARG SERVICE has a default (identification); it must be given',
      'identification: final stage runs as "root", not a numeric non-root uid',
      'identification: CMD is node main.js, wanted ["node", "main.js"] (exec form: node is PID 1 and gets SIGTERM)',
      'identification: GRPC_PORT=50051 in docker-compose.yml is not EXPOSEd',
    ]);
    expect(dockerfileProblems('monitoring', dockerfile, { PORTS: '50053 9103' })).toEqual([
      'monitoring: build arg SERVICE is undefined',
    ]);
    expect(
      dockerfileProblems(
        'identification',
        dockerfile.replaceAll('node:20-bookworm-slim', 'node:latest'),
        argsOf('identification'),
      ),
    ).toContain('identification: FROM node:latest is not node:20-bookworm-slim');
    expect(
      dockerfileProblems('gateway', dockerfile.replace(/npm run build -w/g, 'echo skipped'), argsOf('gateway')),
    ).toContain('gateway: does not build services/gateway/console before npm prune --omit=dev');
  });
});
