import { checkpoints } from './checkpoints.js';
import { exporter } from './exporter.js';
import { heartbeats } from './heartbeats.js';
import { lag } from './lag.js';
import { latency } from './latency.js';
import { producer } from './producer.js';
import { tasks } from './tasks.js';
import { throughput } from './throughput.js';
import type { SignalTopic } from './topic.js';
import { workers } from './workers.js';

/**
 * Every topic, in the order of the recording rules and of the report (a signal that reads
 * another one's recorded series comes after it: the rules of a group run in order).
 */
export const SIGNAL_TOPICS = [latency, lag, throughput, tasks, producer, heartbeats, exporter, checkpoints, workers] as const satisfies readonly SignalTopic[];

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Topics = (typeof SIGNAL_TOPICS)[number];

/** Every signal of every topic, by id. */
export type SignalEntries = Intersection<Topics['signals']>;
/** The runbook advice of every topic, by runbook topic. */
export type TopicAdvice = Intersection<Topics['advice']>;

function merged<K extends 'signals' | 'advice'>(part: K): Record<string, unknown> {
  const all: Record<string, unknown> = {};
  for (const topic of SIGNAL_TOPICS as readonly SignalTopic[]) {
    for (const [key, value] of Object.entries(topic[part])) {
      if (key in all) throw new Error(`${part} "${key}" is declared by two signal topics`);
      all[key] = value;
    }
  }
  return all;
}

export const SIGNAL_ENTRIES = merged('signals') as SignalEntries;
export const TOPIC_ADVICE = merged('advice') as TopicAdvice;
