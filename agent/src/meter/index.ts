export { AwakeMeter, DEFAULT_TICK_MS, type AwakeDay, type AwakeMeterOptions } from './awake-meter.ts';
export { systemClocks, systemTickTimer, type Clocks, type TickTimer } from './clocks.ts';
export { readBootId, systemBootIdSources, type BootIdSources } from './boot-id.ts';
export { splitAcrossUtcDays, type DayShare } from './utc-days.ts';
