// Refuses, in one JSON log line, a Node.js older than package.json's `engines.node` (>=X.Y): the
// production commands run whatever `node` the machine has, and an older one would fail later with
// an obscure error (an unknown flag, a syntax error deep in a dependency). Plain JavaScript, so
// that the old Node can run it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Whether `version` (e.g. "22.17.1") is at least the `>=X.Y[.Z]` of `range`. */
export function satisfiesMinimum(version, range) {
  const minimum = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!minimum) throw new Error(`engines.node must read ">=X.Y.Z", not "${range}"`);
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = minimum.slice(1).map((part) => Number(part ?? 0));
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  if (!satisfiesMinimum(process.versions.node, engines.node)) {
    const reason = `Collegia needs Node.js ${engines.node}; this machine runs ${process.version} (${process.execPath}). Install Node.js 22 LTS, or use the Docker image.`;
    process.stderr.write(
      `${JSON.stringify({ level: 60, time: new Date().toISOString(), service: 'collegia', reason, msg: `boot failed: ${reason}` })}\n`,
    );
    process.exit(1);
  }
}
