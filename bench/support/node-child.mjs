import { spawn } from 'node:child_process';

/**
 * Starts `node <args>` with this process's environment plus `env`, its stdout piped (the caller
 * reads the ready line) and stderr shown, and adds it to `children` so the bench can end them all.
 */
export function startNodeChild(children, args, env) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}
