import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { offRecordRequestWorkflow, OffRecordRequest } from '../../../workflows/off-record.js';
import { offRecordRequestWorkflowId } from '../../../workflows/off-record.js';
import { createOffRecordHolderActivities } from './holder-activities.js';
import { OffRecordHolderWorker, type HolderWorkerOptions } from './holder-worker.js';
import { openAnswers, requesterKeys } from './sealed-box.js';
import { OffRecordStore } from './store.js';

/** The request got no answer in time: the workers (which run it) or Temporal are down. Nothing is known of the answers. */
export class OffRecordHolderUnreachableError extends Error {
  constructor() {
    super('The replica holding these off-the-record answers could not be asked (workers or Temporal unavailable)');
  }
}

/** How long a request to the holder may take; the holder itself answers within its activity's 5 s timeouts. */
const REQUEST_TIMEOUT = '15 seconds';

/** A form as its document names it: who holds its off-the-record answers (a task queue), if anyone. */
export interface HeldForm {
  _id: string;
  brandId: string;
  offRecordHolder?: string;
  offRecordExpiresAt?: Date;
}

/**
 * Off-the-record answers for any replica. They stay in the memory of the process that received them
 * (`store`); a replica that did not asks the holder over Temporal (workflows/off-record.ts) and gets
 * them sealed for a key pair it made for that one request, then deletes the request's execution.
 */
export class OffRecordAnswers {
  readonly store = new OffRecordStore();
  /** This process's own task queue, recorded on the forms whose answers it holds. */
  readonly holder: string;
  private readonly worker: OffRecordHolderWorker;

  constructor(private readonly deps: Omit<HolderWorkerOptions, 'taskQueue' | 'activities'> & { client: Client; taskQueue: string }) {
    this.holder = `${deps.taskQueue}.off-record.${randomBytes(8).toString('hex')}`;
    this.worker = new OffRecordHolderWorker({ ...deps, taskQueue: this.holder, activities: createOffRecordHolderActivities(this.store) });
  }

  async hold(form: { formId: string; brandId: string }, values: Record<string, string>, ttlMs: number): Promise<{ expiresAt: Date; holder: string }> {
    const expiresAt = this.store.put(form.formId, form.brandId, values, ttlMs);
    await this.worker.ensureRunning();
    return { expiresAt, holder: this.holder };
  }

  /**
   * The answers while they last, wherever they are held; undefined once gone (or their holder stopped).
   * Throws OffRecordHolderUnreachableError when another replica holds them and cannot be asked now.
   */
  async read(form: HeldForm): Promise<Record<string, string> | undefined> {
    if (this.isLocal(form)) return this.store.get(form._id, form.brandId);
    if (this.isOver(form)) return undefined;
    const keys = requesterKeys();
    const sealed = await this.ask({ kind: 'read', holderTaskQueue: form.offRecordHolder!, formId: form._id, brandId: form.brandId, requesterPublicKey: keys.publicKey });
    return sealed ? openAnswers(sealed, { formId: form._id, keys }) : undefined;
  }

  /** Erases the answers at their holder; a holder that stopped took them with it. Throws as `read` does. */
  async erase(form: HeldForm): Promise<void> {
    this.store.erase(form._id, form.brandId);
    if (!this.isLocal(form) && !this.isOver(form)) await this.ask({ kind: 'erase', holderTaskQueue: form.offRecordHolder!, formId: form._id, brandId: form.brandId });
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }

  private isLocal(form: HeldForm): boolean {
    return form.offRecordHolder === undefined || form.offRecordHolder === this.holder;
  }

  /** Past their time the holder erased them itself: nobody need be asked. */
  private isOver(form: HeldForm): boolean {
    return form.offRecordExpiresAt === undefined || form.offRecordExpiresAt.getTime() <= Date.now();
  }

  private async ask(request: OffRecordRequest) {
    const handle = await this.deps.client.workflow.start<typeof offRecordRequestWorkflow>('offRecordRequestWorkflow', {
      taskQueue: this.deps.taskQueue,
      workflowId: offRecordRequestWorkflowId(request, randomUUID()),
      args: [request],
      workflowExecutionTimeout: REQUEST_TIMEOUT,
    });
    try {
      return await handle.result();
    } catch (error) {
      if (error instanceof WorkflowFailedError) throw new OffRecordHolderUnreachableError();
      throw error;
    } finally {
      // Its history holds only ids and a sealed box nobody can open any more; it goes at once anyway.
      await this.deps.client.workflowService
        .deleteWorkflowExecution({ namespace: this.deps.namespace, workflowExecution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId } })
        .catch((error: unknown) => this.deps.logger.warn({ err: error, workflowId: handle.workflowId }, 'could not delete an off-record request execution'));
    }
  }
}
