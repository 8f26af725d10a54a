// Event-loop probe for the benchmarks, preloaded into the appliance with `node --import=<this file>` (the
// appliance's own code is not changed for a measurement). Over the IPC channel the bench sends
// {probe:'reset'} before a phase and {probe:'read'} after it, and gets back the event-loop delay of that
// phase (perf_hooks.monitorEventLoopDelay, ms) plus every stall longer than STALL_MS with its wall-clock
// time, so a long one can be laid next to what the bench was doing then.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const RESOLUTION_MS = 10;
const STALL_MS = 20;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
let stalls = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - RESOLUTION_MS;
  if (late > STALL_MS && stalls.length < 1000) stalls.push({ at: Date.now() - Math.round(late), ms: Math.round(late) });
  last = now;
}, RESOLUTION_MS).unref();

// The histogram holds the intervals of its RESOLUTION_MS timer: what exceeds the resolution is the delay.
const ms = (ns) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
process.on('message', (m) => {
  if (m?.probe === 'reset') {
    histogram.reset();
    stalls = [];
    last = performance.now(); // a stall that ended before the reset belongs to the phase before

    process.send({ probe: 'reset' });
  } else if (m?.probe === 'read') {
    process.send({ probe: 'read', p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max),
      mean: ms(histogram.mean), samples: histogram.count, stalls, memory: process.memoryUsage() });
  }
});
// The channel must not keep the appliance alive, nor stop it from exiting on SIGTERM.
process.channel?.unref();
