#!/usr/bin/env node
// Runs the Python trainer's tests (resources/trainer/tests) in a cached virtual environment.
//
// Why a cache outside the repo: PyPI's torch wheel pulls the CUDA libraries (several GB), so the
// venv is built once per set of requirements and reused across checkouts and CI runs on the same
// machine. Its folder name carries a hash of the requirement files, so changing a pin builds a new
// one; a marker file is written only after a successful install, so a half-built venv is rebuilt.
//
// Usage: node scripts/test-python.mjs [--setup-only] [extra pytest args…]
// Env:   LORA_STUDIO_TEST_PYTHON  use this interpreter as is (no venv is built)
//        LORA_STUDIO_PYTHON       interpreter used to create the venv (default python3 / python)
//        XDG_CACHE_HOME           cache root (default ~/.cache)
// Exit:  pytest's exit code; "no tests collected" (5) counts as a failure.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const trainerDir = join(repoRoot, 'resources', 'trainer');
const reqFiles = ['requirements.txt', 'requirements-test.txt'].map((f) => join(trainerDir, f));
const isWin = process.platform === 'win32';

function log(msg) {
  process.stderr.write(`[test-python] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function venvHash() {
  const h = createHash('sha256');
  for (const f of reqFiles) {
    h.update(`${f.slice(trainerDir.length)}\n`);
    h.update(readFileSync(f));
    h.update('\n\0');
  }
  return h.digest('hex').slice(0, 12);
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A lock file so two test runs on one machine don't build the same venv at once. */
function withLock(lockPath, fn) {
  const deadline = Date.now() + 60 * 60 * 1000;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (!Number.isFinite(holder) || !pidAlive(holder)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath}`);
      log(`waiting for pid ${holder} to finish building the venv…`);
      sleep(5000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function ensureVenv() {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const base = join(cacheRoot, 'lora-studio');
  mkdirSync(base, { recursive: true });
  const venv = join(base, `venv-${venvHash()}`);
  const py = isWin ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
  const marker = join(venv, '.lora-studio-installed');
  if (existsSync(marker) && existsSync(py)) return py;
  return withLock(`${venv}.lock`, () => {
    if (existsSync(marker) && existsSync(py)) return py; // built by whoever held the lock
    log(`building ${venv} (torch pulls several GB, this takes minutes)…`);
    rmSync(venv, { recursive: true, force: true });
    const basePy = process.env.LORA_STUDIO_PYTHON || (isWin ? 'python' : 'python3');
    if (run(basePy, ['-m', 'venv', venv]) !== 0) throw new Error(`${basePy} -m venv failed`);
    const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input'];
    for (const f of reqFiles) pipArgs.push('-r', f);
    if (run(py, pipArgs) !== 0) throw new Error('pip install failed (the venv will be rebuilt next time)');
    writeFileSync(marker, `${new Date().toISOString()}\n`);
    return py;
  });
}

function main() {
  const args = process.argv.slice(2);
  const setupOnly = args.includes('--setup-only');
  const pytestArgs = args.filter((a) => a !== '--setup-only');
  let py = process.env.LORA_STUDIO_TEST_PYTHON;
  if (py) log(`using LORA_STUDIO_TEST_PYTHON=${py}`);
  else {
    try {
      py = ensureVenv();
    } catch (e) {
      log(String(e.message || e));
      return 1;
    }
  }
  if (setupOnly) {
    process.stdout.write(`${py}\n`);
    return 0;
  }
  const env = { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', PYTHONUNBUFFERED: '1' };
  const child = spawn(py, ['-m', 'pytest', '-q', join('resources', 'trainer', 'tests'), ...pytestArgs], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    log(`cannot start ${py}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      log(`pytest killed by ${signal}`);
      process.exit(1);
    }
    if (code === 5) {
      log('pytest collected no tests: failing');
      process.exit(1);
    }
    process.exit(code ?? 1);
  });
  return null;
}

const rc = main();
if (rc !== null) process.exit(rc);
