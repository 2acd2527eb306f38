import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';

export interface ServiceProcess {
  url: string;
  /** The JSON log line that announced the process as ready. */
  announcement: Record<string, unknown>;
  process: ChildProcessWithoutNullStreams;
  output(): string;
  stop(): Promise<number | null>;
}

type Announcement = Record<string, unknown>;

/**
 * Runs an entry point with node (node itself, so the PID is the program's; tsx as loader for a TypeScript one) and
 * resolves once one of its JSON log lines yields a URL, by `urlFrom`.
 */
export async function startProcess(
  entry: string,
  env: Record<string, string | undefined>,
  urlFrom: (announcement: Announcement) => string | undefined,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx', '--conditions=development'] : [];
  const child = spawn(process.execPath, [...loader, entry], { env });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = await new Promise<{ url: string; announcement: Announcement }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const announcement = JSON.parse(line) as Announcement;
        const url = urlFrom(announcement);
        if (url) {
          clearTimeout(timer);
          resolve({ url, announcement });
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const how = code === null ? `on signal ${String(signal)}` : `with code ${code}`;
      reject(new Error(`${entry} exited ${how} before it was ready:\n${output}`));
    });
  });
  return {
    ...ready,
    process: child,
    output: () => output,
    stop: async () => {
      // Already gone (exited, or killed by a test): waiting for its 'exit' would wait for ever.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** A service's production entry point (its src/main.ts) as a process of its own, on a free port. */
export function startServiceProcess(entry: string, env: Record<string, string>): Promise<ServiceProcess> {
  // It announces its address in a log line, so it logs at info whatever the test settings say.
  return startProcess(entry, { ...process.env, PORT: '0', ...env, LOG_LEVEL: 'info' }, ({ msg, url }) =>
    typeof url === 'string' && typeof msg === 'string' && msg.endsWith('listening') ? url : undefined,
  );
}
