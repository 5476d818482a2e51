// Every workflow the Switchboard worker runs; the worker bundles this file.
export { systemCheckWorkflow } from './system-check.js';
export { conversationWorkflow } from './conversation/workflow.js';
export { messageStatusWorkflow } from './message-status.js';
export { routerWorkflow } from './routing/router.js';
export { secureFormWorkflow } from './secure-form/workflow.js';
export { retentionWorkflow } from './retention/workflow.js';
export { offRecordRequestWorkflow } from './off-record.js';
