import { proxyActivities } from '@temporalio/workflow';
import type { ConversationActivities } from '../../activities/conversations/index.js';
import type { RoutingActivities } from '../../activities/routing/index.js';

/**
 * Database writes retry until the database is back (an outage must not lose anything), but a programming
 * error or refused input fails at once: retrying it for ever would wedge the conversation silently.
 */
const retry = {
  initialInterval: '1 second',
  maximumInterval: '30 seconds',
  backoffCoefficient: 2,
  nonRetryableErrorTypes: ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'BSONError', 'InvalidRecord'],
};

export const records = proxyActivities<ConversationActivities>({ startToCloseTimeout: '30 seconds', retry });
export const routing = proxyActivities<RoutingActivities>({ startToCloseTimeout: '30 seconds', retry });
