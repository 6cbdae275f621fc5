import { describe, expect, it } from 'vitest';
import { createAwsScheduledHandler, toScheduleTick } from '../../../../adapters/aws/schedule-handler.js';
import { silentLogger } from '../../../../core/ports/logger.js';
import { loadEvent } from '../../../helpers/events.js';
import { fakeLambdaContext } from '../../../helpers/lambda-context.js';

const NOW = Date.parse('2026-03-10T03:00:07Z');

describe('toScheduleTick', () => {
  it('reads the id, time and rule of an EventBridge scheduled event', () => {
    expect(toScheduleTick(loadEvent('aws/eventbridge-scheduled.json'), () => NOW)).toEqual({
      trigger: 'schedule',
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      firedAt: '2026-03-10T03:00:00Z',
      rule: 'arn:aws:events:eu-west-1:123456789012:rule/kelpie-carbon-dev-BackupEventsRuleSchedule1-1XMPL2ABCDEF',
    });
  });

  it.each([[{}], [null], [loadEvent('aws/s3-put-space.json')]])('calls anything else a manual run (%#)', (event) => {
    expect(toScheduleTick(event, () => NOW)).toEqual({ trigger: 'manual', firedAt: '2026-03-10T03:00:07.000Z' });
  });
});

describe('createAwsScheduledHandler', () => {
  it('returns what the job returns, with a live signal', async () => {
    let signal: AbortSignal | undefined;
    const handler = createAwsScheduledHandler(async (tick, s) => ((signal = s), tick.trigger), { name: 'test job', logger: silentLogger });
    expect(await handler(loadEvent('aws/eventbridge-scheduled.json'), fakeLambdaContext(), () => undefined)).toBe('schedule');
    expect(signal?.aborted).toBe(false);
  });

  it('logs a failure and fails the invocation', async () => {
    const errors: unknown[] = [];
    const logger = { ...silentLogger, error: (message: string, fields?: Record<string, unknown>) => void errors.push({ message, fields }) };
    const handler = createAwsScheduledHandler(async () => Promise.reject(new Error('bucket gone')), { name: 'backup', logger });
    await expect(handler({}, fakeLambdaContext(), () => undefined)).rejects.toThrow('bucket gone');
    expect(errors).toEqual([{ message: 'backup failed', fields: expect.objectContaining({ tick: expect.objectContaining({ trigger: 'manual' }), code: 'BUG', error: 'bucket gone' }) }]);
  });
});
