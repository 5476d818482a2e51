import { deliverMessageActivity } from './deliver-message.js';
import { deliveryOutcomeActivities } from './delivery-outcomes.js';
import type { ConversationActivityDependencies } from './dependencies.js';
import { recordMessageActivities } from './record-messages.js';
import { recordDeliveryStatusActivity } from './record-delivery-status.js';
import { setOptOutActivity } from './set-opt-out.js';

export type { ConversationActivityDependencies } from './dependencies.js';

export function createConversationActivities(deps: ConversationActivityDependencies) {
  return {
    ...recordMessageActivities(deps),
    ...deliveryOutcomeActivities(deps),
    setOptOut: setOptOutActivity(deps),
    deliverMessage: deliverMessageActivity(deps),
    recordDeliveryStatus: recordDeliveryStatusActivity(deps),
  };
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;
