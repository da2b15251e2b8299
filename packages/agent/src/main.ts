/**
 * The `opsline-agent` entry. The Node version is checked before anything
 * else loads, so an old Node gets a plain sentence rather than a syntax or
 * import error from deep inside a dependency.
 */
const MIN_NODE_MAJOR = 20;
const major = Number(process.versions.node.split('.')[0]);
if (major < MIN_NODE_MAJOR) {
  process.stderr.write(`opsline-agent needs Node.js ${MIN_NODE_MAJOR} or newer; this is Node.js ${process.versions.node}. Install a current Node.js and run it again.\n`);
  process.exit(1);
}
const { runAgentCli } = await import('./cli.js');
const code = await runAgentCli(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now; should a stray handle keep the loop alive, leave anyway.
setTimeout(() => process.exit(code), 5_000).unref();

// An ES module (for the top-level await) that exports nothing.
export {};
