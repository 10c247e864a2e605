/**
 * Logging goes to stderr only: stdout carries nothing but protocol messages in stdio mode.
 * `RXAGENT_LOG=debug|info|warn|error|off` sets the level (default `info`).
 *
 * @example
 * log.warn('binary websocket frame dropped', { connection: 3 });
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'off'>;

const threshold = (): number => LEVELS[(process.env.RXAGENT_LOG as keyof typeof LEVELS) ?? 'info'] ?? LEVELS.info;

const write = (level: Level, message: string, fields?: Record<string, unknown>): void => {
  if (LEVELS[level] < threshold()) return;
  const tail = fields ? ` ${JSON.stringify(fields)}` : '';
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${tail}\n`);
};

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
