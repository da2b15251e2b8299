// The Ansible side of the fan-out benchmark: Debian's `ansible` running
// `ansible all -m command -a 'uname -r' -f <forks>` against `hosts` inventory
// aliases that all point at one local sshd (scripts/peers.mjs's sshd peer).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { log, onShutdown, startChild } from '../scripts/lib.mjs';
import { ensureDebianPackages, ensurePeerPackages, startSshd } from '../scripts/peers.mjs';
import { cpuSeconds, machineCpuSeconds, round2, spread } from './_proc.mjs';

/** Installs (as root) or names what the Ansible side needs; call before anything slow. */
export async function ensureAnsiblePackages() {
  await ensurePeerPackages(['sshd']);
  await ensureDebianPackages(['ansible', 'openssh-client']);
}

const alias = (i) => `h${String(i + 1).padStart(3, '0')}`;

/**
 * One line per alias. Each gets its own ControlPath: Ansible derives it from
 * the address, port and user, which all aliases share, so without this 100
 * "hosts" would multiplex over one SSH connection — unlike 100 real hosts.
 * Known hosts go to /dev/null so root's ~/.ssh stays untouched.
 */
function inventory({ hosts, env, cpDir }) {
  const lines = ['[bench]'];
  for (let i = 0; i < hosts; i++) {
    const sshArgs = `-o UserKnownHostsFile=/dev/null -o ControlPath=${join(cpDir, alias(i))}`;
    lines.push(
      `${alias(i)} ansible_host=127.0.0.1 ansible_port=${env.OPSLINE_TEST_SSH_PORT} ansible_user=${env.OPSLINE_TEST_SSH_USER} ` +
        `ansible_ssh_private_key_file=${env.OPSLINE_TEST_SSH_KEY_FILE} ansible_ssh_common_args='${sshArgs}'`,
    );
  }
  lines.push('', '[all:vars]', 'ansible_python_interpreter=/usr/bin/python3', '');
  return lines.join('\n');
}

/** Runs one `ansible` command; output goes to a file (ControlPersist masters outlive ansible and would hold a pipe open). */
async function runAnsible(dir, env, forks, outFile) {
  const out = openSync(outFile, 'w');
  const t0 = performance.now();
  // startChild: a signal that stops the bench reaches ansible too.
  const { exited } = startChild('ansible', ['all', '-i', join(dir, 'inventory.ini'), '-m', 'command', '-a', 'uname -r', '-f', String(forks)], {
    cwd: dir,
    env,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const { code, signal, error } = await exited;
  if (error) throw error;
  return { code, signal, ms: performance.now() - t0 };
}

/** Checks every alias answered `CHANGED | rc=0` with the expected line. */
function checkOutput(text, hosts, expectedStdout) {
  const ok = new Set();
  for (const m of text.matchAll(/^(h\d{3}) \| CHANGED \| rc=0 >>\n(.*)$/gm)) if (m[2].trim() === expectedStdout) ok.add(m[1]);
  if (ok.size !== hosts) throw new Error(`ansible succeeded on ${ok.size}/${hosts} hosts:\n${text.slice(0, 2000)}`);
}

export async function benchAnsible({ hosts, forks, rounds, expectedStdout }) {
  const tag = `bench fanout: ansible, ${hosts} hosts`;
  log(`${tag}: starting sshd`);
  const sshd = await startSshd();
  const dir = mkdtempSync(join(tmpdir(), 'opsline-bench-ansible-'));
  const cpDir = join(dir, 'cp');
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    // Ask each ControlPersist master to exit, so no ssh client or sshd session outlives the bench.
    for (let i = 0; i < hosts; i++) {
      const sock = join(cpDir, alias(i));
      if (existsSync(sock)) spawnSync('ssh', ['-o', `ControlPath=${sock}`, '-O', 'exit', 'bench'], { stdio: 'ignore', timeout: 5_000 });
    }
    sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  onShutdown(cleanup);
  try {
    // The remote temp dir is written by the SSH user: passable parent, owned child.
    chmodSync(dir, 0o711);
    for (const d of ['local', 'remote', 'home', 'cp']) mkdirSync(join(dir, d), { mode: 0o700 });
    if (process.getuid?.() === 0) {
      const id = (flag) => Number(spawnSync('id', [flag, sshd.env.OPSLINE_TEST_SSH_USER], { encoding: 'utf8' }).stdout.trim());
      chownSync(join(dir, 'remote'), id('-u'), id('-g'));
    }
    writeFileSync(join(dir, 'inventory.ini'), inventory({ hosts, env: sshd.env, cpDir }));
    // An empty config of our own: no ansible.cfg from the working dir, home or /etc changes the figures.
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\n');
    const env = {
      ...process.env,
      ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
      ANSIBLE_HOME: join(dir, 'home'),
      ANSIBLE_LOCAL_TEMP: join(dir, 'local'),
      ANSIBLE_REMOTE_TMP: join(dir, 'remote'),
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_NOCOLOR: '1',
    };
    log(`${tag}: ${rounds} rounds of ansible all -m command -a 'uname -r' -f ${forks}`);
    const cpu0 = cpuSeconds(process.pid).children;
    const machine0 = machineCpuSeconds();
    const ms = [];
    for (let r = 0; r < rounds; r++) {
      const outFile = join(dir, `round-${r + 1}.out`);
      const res = await runAnsible(dir, env, forks, outFile);
      const text = readFileSync(outFile, 'utf8');
      if (res.code !== 0) throw new Error(`ansible exited ${res.signal ?? res.code}:\n${text.slice(0, 2000)}`);
      checkOutput(text, hosts, expectedStdout);
      ms.push(res.ms);
      log(`${tag}: round ${r + 1}: ${Math.round(res.ms)} ms`);
    }
    // ansible and the processes it waited for (its forks, their ssh clients); not the sshd side.
    const controllerCpuSec = round2(cpuSeconds(process.pid).children - cpu0);
    // Includes the sshd side (sessions, the Python module on the "hosts"), which no process of ours waits for.
    const machine1 = machineCpuSeconds();
    const machineCpuSec = round2(machine1.busy - machine0.busy);
    return { ...spread(ms), forks, controllerCpuSec, machineCpuSec, noise: { stealSec: round2(machine1.steal - machine0.steal) } };
  } finally {
    cleanup();
  }
}
