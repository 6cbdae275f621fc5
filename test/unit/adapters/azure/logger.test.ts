import { InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invocationLogger, withInvocationLog } from '../../../../adapters/azure/logger.js';

describe('invocationLogger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes through the running invocation’s context, at the line’s own level', async () => {
    const seen: Array<[string, unknown[]]> = [];
    const context = new InvocationContext({ invocationId: 'inv-1', logHandler: (level, ...args) => void seen.push([level, args]) });
    const logger = invocationLogger({ KELPIE_LOG_LEVEL: 'info' }, 'upload-analyze');
    const handler = withInvocationLog(async (_input: unknown, _context: InvocationContext) => {
      logger.info('upload event handled', { key: 'uploads/a.tif' });
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.warn('upload event dropped: it cannot succeed as it is');
    });

    await handler({}, context);

    expect(seen.map(([level]) => level)).toEqual(['information', 'warning']);
    expect(JSON.parse(String(seen[0][1][0]))).toMatchObject({ level: 'INFO', service: 'upload-analyze', message: 'upload event handled', key: 'uploads/a.tif' });
  });

  it('writes to the console outside an invocation (composition, start-up)', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    invocationLogger({ KELPIE_LOG_LEVEL: 'info' }, 'backup').error('backup failed');
    expect(JSON.parse(String(error.mock.calls[0][0]))).toMatchObject({ level: 'ERROR', service: 'backup', message: 'backup failed' });
  });
});
