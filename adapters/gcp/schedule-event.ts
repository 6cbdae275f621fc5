import type { CloudEvent } from '@google-cloud/functions-framework';
import type { ScheduleTick } from '../shared/scheduled-jobs.js';
import { eventData } from './event-data.js';

/** The CloudEvent type of a Pub/Sub message (Cloud Scheduler publishes one per run). */
export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

/** The fields of `data` (`MessagePublishedData`) that we read; the message body itself is not used. */
interface MessagePublishedData {
  message?: { messageId?: unknown; publishTime?: unknown };
  subscription?: unknown;
}

/**
 * The `ScheduleTick` of a Cloud Scheduler run delivered through Pub/Sub as a CloudEvent
 * (`google.cloud.pubsub.topic.v1.messagePublished`): the message id and publish time, for the log.
 * Any other event type is `{ ignored }`: a trigger pointed at the wrong source should not run jobs.
 *
 * @example
 * ```ts
 * const tick = fromSchedulerCloudEvent(event); // { tick: { trigger: 'schedule', id: '10168204355476545', firedAt: '2026-03-10T03:00:00.123Z' } }
 * ```
 */
export function fromSchedulerCloudEvent(event: CloudEvent<unknown>, now: () => number = Date.now): { tick: ScheduleTick } | { ignored: string } {
  if (event.type !== PUBSUB_MESSAGE_PUBLISHED) return { ignored: `not a Pub/Sub message (type ${JSON.stringify(event.type)}); schedules arrive as ${PUBSUB_MESSAGE_PUBLISHED}` };
  const message = eventData<MessagePublishedData>(event.data)?.message;
  const id = typeof message?.messageId === 'string' ? message.messageId : event.id;
  const firedAt = typeof message?.publishTime === 'string' ? message.publishTime : (event.time ?? new Date(now()).toISOString());
  return { tick: { trigger: 'schedule', firedAt, ...(id ? { id } : {}) } };
}
