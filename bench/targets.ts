import type { Results } from './results.js';
import { round1 } from './stats.js';

/** One target of issue 12, with this run's figure and whether it is met (null: not measured). */
export interface TargetVerdict {
  target: string;
  figure: string;
  limit: string;
  met: boolean | null;
}

const ms = (value: number) => (Number.isFinite(value) ? `${round1(value)} ms` : 'never (> drain)');

/** The targets, each against the same run's floor. */
export function targetVerdicts(results: Results): TargetVerdict[] {
  const { bare1, bare64 } = results.floor;
  const sse = results.webhookToSse;
  const ingest = results.ingest64;
  const reply = results.replyToProvider;
  const idle = results.idleStreams;
  const open = results.openConversations;
  const missing = (target: string): TargetVerdict => ({ target, figure: 'not measured', limit: '—', met: null });
  return [
    sse
      ? { target: 'webhook → SSE p50 ≤ ack p50 + 50 ms (1 in flight)', figure: ms(sse.toSse.p50Ms), limit: ms(sse.ack.p50Ms + 50), met: sse.toSse.p50Ms <= sse.ack.p50Ms + 50 }
      : missing('webhook → SSE p50 ≤ ack p50 + 50 ms (1 in flight)'),
    ingest
      ? {
          target: 'fully processed ingest at 64 in flight ≥ 0.5 × bare signalWithStart at 64',
          figure: `${ingest.processedPerSecond}/s`, limit: `${round1(bare64.perSecond * 0.5)}/s`, met: ingest.processedPerSecond >= bare64.perSecond * 0.5,
        }
      : missing('fully processed ingest at 64 in flight ≥ 0.5 × bare signalWithStart at 64'),
    ingest
      ? { target: 'processing lag p99 at 64 in flight ≤ 2 s', figure: ms(ingest.lag.p99Ms), limit: '2000 ms', met: ingest.lag.p99Ms <= 2000 }
      : missing('processing lag p99 at 64 in flight ≤ 2 s'),
    reply
      ? { target: 'reply → provider p50 ≤ bare signalWithStart p50 + 50 ms', figure: ms(reply.toProvider.p50Ms), limit: ms(bare1.p50Ms + 50), met: reply.toProvider.p50Ms <= bare1.p50Ms + 50 }
      : missing('reply → provider p50 ≤ bare signalWithStart p50 + 50 ms'),
    idle
      ? { target: '200 idle SSE clients < 5 % of one core', figure: `${idle.cpuPercentOfOneCore} %`, limit: '5 %', met: idle.cpuPercentOfOneCore < 5 }
      : missing('200 idle SSE clients < 5 % of one core'),
    open && open.rssPerConversationKB !== null
      ? { target: '≤ 20 KB worker memory per open conversation (RSS)', figure: `${open.rssPerConversationKB} KB`, limit: '20 KB', met: open.rssPerConversationKB <= 20 }
      : missing('≤ 20 KB worker memory per open conversation (RSS)'),
  ];
}
