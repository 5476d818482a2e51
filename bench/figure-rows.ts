import type { Ingest } from './ingest.js';
import type { Results } from './results.js';
import { round2, type Latency } from './stats.js';

/** One reported figure, with its ratio to the floor it is read against (null where no floor applies: CPU, memory). */
export interface FigureRow {
  name: string;
  value: number | null;
  unit: string;
  vsFloor: number | null;
  floor: string | null;
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);
const ratio = (value: number, floor: number) => (Number.isFinite(value) && floor > 0 ? round2(value / floor) : null);

/** Every figure of the run, flat, each with its floor ratio: latencies and rates against the bare figures at the same number in flight. */
export function figureRows(results: Results): FigureRow[] {
  const { bare1, bare8, bare64 } = results.floor;
  const rows: FigureRow[] = [];
  const floorAt = (inFlight: number) => (inFlight === 1 ? bare1 : inFlight === 8 ? bare8 : bare64);
  const latency = (name: string, value: Latency, inFlight = 1) => {
    const floor = floorAt(inFlight);
    rows.push({ name: `${name} p50`, value: finite(value.p50Ms), unit: 'ms', vsFloor: ratio(value.p50Ms, floor.p50Ms), floor: `bare p50 at ${inFlight}` });
    rows.push({ name: `${name} p99`, value: finite(value.p99Ms), unit: 'ms', vsFloor: ratio(value.p99Ms, floor.p99Ms), floor: `bare p99 at ${inFlight}` });
  };
  const rate = (name: string, perSecond: number, inFlight: number) => {
    const floor = floorAt(inFlight);
    rows.push({ name, value: perSecond, unit: '/s', vsFloor: ratio(perSecond, floor.perSecond), floor: `bare/s at ${inFlight}` });
  };
  const plain = (name: string, value: number | null, unit: string) => rows.push({ name, value: value === null ? null : finite(value), unit, vsFloor: null, floor: null });
  const ingest = (label: string, figures: Ingest) => {
    rate(`${label}: fully processed`, figures.processedPerSecond, figures.inFlight);
    rate(`${label}: webhooks acknowledged`, figures.ackPerSecond, figures.inFlight);
    latency(`${label}: processing lag`, figures.lag, figures.inFlight);
    latency(`${label}: webhook ack`, figures.ack, figures.inFlight);
    plain(`${label}: unprocessed after drain`, figures.unprocessed, 'messages');
    plain(`${label}: CPU of the system under test`, figures.cpu.systemUnderTestPercent, '% of a core');
    if (figures.cpu.databasePercent !== undefined) plain(`${label}: CPU of FerretDB`, figures.cpu.databasePercent, '% of a core');
    if (figures.cpu.temporalPercent !== undefined) plain(`${label}: CPU of the Temporal server`, figures.cpu.temporalPercent, '% of a core');
  };

  latency('Floor: bare signalWithStart, 1 in flight', bare1);
  latency('Floor: bare signalWithStart, 64 in flight', bare64, 64);
  rate('Floor: bare signalWithStart, 1 in flight', bare1.perSecond, 1);
  rate('Floor: bare signalWithStart, 8 in flight', bare8.perSecond, 8);
  rate('Floor: bare signalWithStart, 64 in flight', bare64.perSecond, 64);
  if (results.systemCheck) latency('System check round trip', results.systemCheck);
  if (results.webhookToSse) {
    latency('Webhook ack (1 in flight)', results.webhookToSse.ack);
    latency('Webhook → SSE event at the agent', results.webhookToSse.toSse);
  }
  if (results.replyToProvider) {
    latency('Reply accepted (202)', results.replyToProvider.accepted);
    latency('Reply → provider stand-in received', results.replyToProvider.toProvider);
  }
  if (results.secureForm) {
    latency('Secure form round trip', results.secureForm.total);
    for (const step of ['sendToLink', 'open', 'submit', 'reveal'] as const) {
      rows.push({ name: `Secure form step ${step} p50`, value: results.secureForm[step].p50Ms, unit: 'ms', vsFloor: ratio(results.secureForm[step].p50Ms, bare1.p50Ms), floor: 'bare p50 at 1' });
    }
  }
  if (results.idleStreams) {
    plain('200 idle SSE clients: CPU', results.idleStreams.cpuPercentOfOneCore, '% of a core');
    plain('200 idle SSE clients: RSS per client', results.idleStreams.rssPerClientKB, 'KB');
  }
  if (results.ingest8) ingest('Sustained ingest, 8 in flight', results.ingest8);
  if (results.ingest64) ingest('Sustained ingest, 64 in flight', results.ingest64);
  const open = results.openConversations;
  if (open) {
    plain('Open conversations: opened', open.created, 'conversations');
    plain('Open conversations: processed', open.processed, 'conversations');
    // Opened at 16 in flight: the nearest floor measured is at 8.
    rate('Open conversations: opened (webhooks, 16 in flight)', open.createPerSecond, 8);
    plain('Open conversations: workflows in the worker\'s cache', open.cachedWorkflowsAfter, 'runs');
    plain('Open conversations: RSS per open conversation', open.rssPerConversationKB, 'KB');
    plain('Open conversations: main heap per open conversation', open.heapPerConversationKB, 'KB');
    rate('Ingest (64) with none open: fully processed', open.ingestWithNone.processedPerSecond, 64);
    rate('Ingest (64) with them open: fully processed', open.ingestWithThemOpen.processedPerSecond, 64);
    plain('Ingest with them open ÷ with none', open.ingestRatio, '×');
  }
  return rows;
}
