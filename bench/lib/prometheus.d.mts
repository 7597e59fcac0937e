// Types of prometheus.mjs for the TypeScript end-to-end test.
export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  readonly logFile: string;
  stop(): Promise<void>;
  api<T = unknown>(path: string, params?: Record<string, string | number>): Promise<T>;
}
export function freePort(): Promise<number>;
export function requireTool(tool: string): void;
export function startPrometheus(opts: {
  configFile: string;
  storageDir: string;
  logFile: string;
  args?: string[];
  readyTimeoutMs?: number;
}): Promise<PrometheusServer>;
export function apiGet<T = unknown>(url: string, path: string, params?: Record<string, string | number>): Promise<T>;
export function tail(file: string, lines?: number): string;
