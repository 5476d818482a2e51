import type { Permission } from '../../api/types';

/** Every permission a profile may list, with what it allows in words. */
export const permissionDescriptions: Record<Permission, string> = {
  'conversation.view': 'See the conversations of their queues',
  'conversation.viewAll': 'See every conversation of the brand',
  'conversation.accept': 'Accept waiting conversations',
  'conversation.reply': 'Reply to consumers',
  'conversation.transfer': 'Transfer conversations',
  'conversation.close': 'Close conversations',
  'conversation.reopen': 'Reopen closed conversations',
  'secureForm.use': 'Send secure forms',
  'secureForm.viewInHistory': 'See secure form answers in the history',
  'reports.view': 'See operations and reports',
  'audit.view': 'Read the audit log',
  'users.manage': 'Manage users, profiles and the account policy',
  'queues.manage': 'Change which queues users work (skills)',
};

export const permissionNames = Object.keys(permissionDescriptions) as Permission[];

/** Granted per user by the platform administrator only: no profile carries it. */
export const platformOnly: readonly Permission[] = ['secureForm.viewInHistory'];
