/** Running commands, on the host or inside a namespace (`ip netns exec`), with a bounded time. */
import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Kill the command after this long (default 30 s: the machine may be loaded). */
  timeoutMs?: number;
  /** Text written to the command's standard input. */
  input?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; rejects with its output when it fails or times out. */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL', env: options.env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const detail = [stdout, stderr].filter((s) => s.trim()).join('\n');
          reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}${detail ? `\n${detail}` : ''}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a command inside a namespace. */
export function runIn(namespace: string, file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run('ip', ['netns', 'exec', namespace, file, ...args], options);
}
