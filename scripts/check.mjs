// `npm run check`: typecheck, lint (with the local rules' own tests) and the
// import-cycle check. Two lanes run side by side (two cores): ESLint, the
// longest, in one; the typechecks, the rules' tests and the cycle check in
// order in the other. A lane stops at its first failure, naming it.
// `--step <name>` runs one step only.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, fmtMs, log, ROOT, run } from './lib.mjs';

const WEB_TSCONFIG = join(ROOT, 'packages/web/tsconfig.json');

/** Each step: a name, a command, and optionally a reason to skip it. */
export const CHECK_STEPS = [
  {
    name: 'tsc',
    what: 'typecheck contracts, server, test-utils, e2e, bench',
    cmd: [bin('tsc'), '-p', 'tsconfig.json'],
  },
  {
    name: 'vue-tsc',
    what: 'typecheck the console',
    cmd: [bin('vue-tsc'), '--noEmit', '-p', 'packages/web/tsconfig.json'],
    skip: () => !existsSync(WEB_TSCONFIG) && 'packages/web/tsconfig.json does not exist yet',
  },
  {
    name: 'lint-rules',
    what: "RuleTester cases of the local rules in eslint-rules/",
    cmd: [process.execPath, '--test', '--test-reporter=dot', 'eslint-rules/'],
  },
  {
    name: 'eslint',
    lane: 'lint',
    what: 'lint (type-aware, module boundaries), no warnings allowed',
    cmd: [bin('eslint'), '.', '--max-warnings', '0'],
  },
  {
    name: 'cycles',
    what: 'no runtime import cycles in packages/*/src',
    // -T drops type-only imports: they vanish at runtime and cannot cycle.
    cmd: [bin('dpdm'), '--no-tree', '--no-warning', '--no-progress', '-T', '--exit-code', 'circular:1', 'packages/*/src/**/*.ts'],
  },
];

/** Runs one step; answers whether it passed (or was skipped). */
async function runStep(step) {
  const why = step.skip?.();
  if (why) {
    log(`check ${step.name}: SKIPPED (${why})`);
    return true;
  }
  log(`check ${step.name}: ${step.what}`);
  const t = Date.now();
  const [cmd, ...args] = step.cmd;
  const r = await run(cmd, args, { timeoutMs: 10 * 60_000 });
  if (r.code !== 0) {
    log(`check ${step.name}: FAILED after ${fmtMs(Date.now() - t)} — fix the errors above (npm run check -- --step ${step.name} reruns only it)`);
    return false;
  }
  log(`check ${step.name}: ok in ${fmtMs(Date.now() - t)}`);
  return true;
}

/** A lane's steps in order, stopping at the first failure. */
async function runLane(steps) {
  for (const step of steps) if (!(await runStep(step))) return false;
  return true;
}

export async function check({ only } = {}) {
  const started = Date.now();
  const steps = CHECK_STEPS.filter((s) => !only || s.name === only);
  const lanes = new Map();
  for (const s of steps) lanes.set(s.lane ?? 'types', [...(lanes.get(s.lane ?? 'types') ?? []), s]);
  const results = await Promise.all([...lanes.values()].map(runLane));
  if (results.includes(false)) return false;
  log(`check: all passed in ${fmtMs(Date.now() - started)}`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--step');
  const only = i > 0 ? process.argv[i + 1] : undefined;
  if (only && !CHECK_STEPS.some((s) => s.name === only)) {
    console.error(`unknown step "${only}"; steps: ${CHECK_STEPS.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  process.exit((await check({ only })) ? 0 : 1);
}
