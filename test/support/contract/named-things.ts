import { newTenant, type Tenant } from '../accounts.js';
import type { ConnectorWorld } from '../connectors.js';
import * as make from './brand-things.js';
import type { Operation } from './operations.js';

/** Real things an operation's requests can name, all of the operation's own brand and made for it alone. */
export interface NamedThings {
  tenant?: Tenant;
  /** Path parameter → a value naming something that exists. */
  path: Record<string, string>;
  /** Query parameter or top-level body property → a value naming something that exists. */
  fields: Record<string, string>;
}

const namesOf = (operation: Operation) => operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
const lastSegment = (operation: Operation) => operation.path.split('/').at(-1);
const isVisitorPage = (operation: Operation) => operation.path.startsWith('/forms/');
/** Conversation routes, the list included: its items are then checked against their schema too. */
const isAboutConversations = (operation: Operation) => operation.path.includes('/conversations');
/** What needs a brand that talks to consumers: a channel, its conversations, their forms. */
const shopParameters = ['conversationId', 'messageId', 'formId', 'channelId'];

/**
 * Makes what the operation's paths (and a few body fields) name: a conversation in the state its
 * action acts on (waiting to accept, closed to reopen, a failed reply to retry), a secure form at the
 * step its page or route serves, a channel, an API token, a custom profile. Fresh for every
 * operation, since most consume what they act on (close, one-time keys, a reveal).
 */
export async function namedThingsFor(world: ConnectorWorld, operation: Operation): Promise<NamedThings> {
  const names = namesOf(operation);
  const ownsBrand = operation.security.some((scheme) => scheme !== 'operatorToken') || names.includes('brandId') || names.includes('userId');
  const needsShop = isVisitorPage(operation) || isAboutConversations(operation) || names.some((name) => shopParameters.includes(name));
  if (!needsShop) {
    const tenant = ownsBrand ? await newTenant(world.system) : undefined;
    const path: Record<string, string> = {};
    if (tenant && names.includes('tokenId')) path.tokenId = await make.apiToken(world, { tenant });
    if (tenant && names.includes('profileId')) path.profileId = await make.customProfile(world, { tenant });
    return { tenant, path, fields: {} };
  }
  const shop = await make.newShop(world);
  const path: Record<string, string> = { channelId: shop.channelId };
  const fields: Record<string, string> = {};
  if (isVisitorPage(operation)) {
    if (operation.method === 'get' || !names.includes('key')) {
      // The link page (GET) and the button's POST both take the link's key.
      const { linkKey } = await make.sentForm(world, shop);
      path.key = linkKey;
      fields.key = linkKey;
    } else {
      // Submitting: the path names the form, the body carries the submit key.
      const { formId, submitKey } = await make.openedForm(world, shop);
      path.key = formId;
      fields.key = submitKey;
    }
  } else if (names.includes('formId')) {
    const { formId } = await make.submittedForm(world, shop);
    path.formId = formId;
    if (lastSegment(operation) === 'reveal') fields.key = await make.revealKey(world, shop, formId);
  } else if (isAboutConversations(operation)) {
    const action = lastSegment(operation);
    // agentId: the agent an integration acts as; toAgentId: whom to transfer to; templateId: a built-in form.
    Object.assign(fields, { agentId: shop.tenant.admin.id, toAgentId: shop.tenant.admin.id, templateId: 'identity-check' });
    const conversation = action === 'accept' ? await make.waitingConversation(world, shop) : await make.assignedConversation(world, shop);
    path.conversationId = conversation.id;
    fields.after = conversation.inboundId;
    if (names.includes('messageId')) {
      path.messageId = (action === 'retry' ? await make.failedReply(world, shop, conversation.id) : await make.reply(world, shop, conversation.id)).id;
    }
    if (action === 'reopen') await make.closeConversation(world, shop, conversation.id);
  }
  return { tenant: shop.tenant, path, fields };
}
