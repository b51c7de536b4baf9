// The one place the generated protocol code is imported from, and the one
// entry to the protocol's hand-written rules: close codes, the endpoint and
// its transport rule, upgrade refusal codes, frame limits. Agent, collector,
// simulator, benchmarks and tests all import from here, so they always speak
// the same protocol. (The raw test/simulator client is proto/raw-client.ts,
// imported on its own: the agent and collector never load it.)
import protobuf from 'protobufjs/minimal.js';
import { tally } from './gen/agent.js';

export { CLOSE, type CloseCode } from './close-codes.ts';
export {
  AGENT_WS_PATH, CollectorUrlError, agentEndpoint, assertMayCarryDeviceKey, isLoopbackHost, mayCarryDeviceKey,
  type CollectorUrlErrorCode,
} from './endpoint.ts';
export {
  UPGRADE_ERROR, UPGRADE_ERROR_HEADER, UPGRADE_ERROR_STATUS, upgradeErrorCode,
  type UpgradeErrorCode, type UpgradeErrorStatus,
} from './upgrade-errors.ts';
export { MAX_DAYS_BEFORE_ENROLMENT, MAX_FRAME_BYTES } from './limits.ts';

// 64-bit fields (sequences, millisecond timestamps) decode as plain numbers,
// not Long objects. Values above Number.MAX_SAFE_INTEGER lose precision;
// validation refuses them, so nothing lossy ever reaches storage.
protobuf.util.Long = null as unknown as typeof protobuf.util.Long;
protobuf.configure();

export const v1 = tally.agent.v1;
export type AgentEnvelope = tally.agent.v1.AgentEnvelope;
export type CollectorEnvelope = tally.agent.v1.CollectorEnvelope;
export type IHello = tally.agent.v1.Hello.$Properties;
export type IInventory = tally.agent.v1.Inventory.$Properties;
export type IUsageRecord = tally.agent.v1.UsageRecord.$Properties;
export type IUsageBatch = tally.agent.v1.UsageBatch.$Properties;
export type IAgentEvent = tally.agent.v1.AgentEvent.$Properties;
export type IEventBatch = tally.agent.v1.EventBatch.$Properties;
export type IStreamFloor = tally.agent.v1.StreamFloor.$Properties;
export type IDeviceFacts = tally.agent.v1.DeviceFacts.$Properties;
export type IIdentity = tally.agent.v1.Identity.$Properties;
export type IModuleState = tally.agent.v1.ModuleState.$Properties;
export type IUserBinding = tally.agent.v1.UserBinding.$Properties;
export type IWelcome = tally.agent.v1.Welcome.$Properties;
export type IAck = tally.agent.v1.Ack.$Properties;
export type IRejection = tally.agent.v1.Rejection.$Properties;
export const ErrorCode = tally.agent.v1.ErrorCode;
export type ErrorCode = tally.agent.v1.ErrorCode;

export function encodeAgentEnvelope(msg: tally.agent.v1.AgentEnvelope.$Properties): Uint8Array {
  return v1.AgentEnvelope.encode(msg).finish();
}

export function encodeCollectorEnvelope(msg: tally.agent.v1.CollectorEnvelope.$Properties): Uint8Array {
  return v1.CollectorEnvelope.encode(msg).finish();
}

/** Decodes without trusting the input: throws on malformed bytes. */
export function decodeAgentEnvelope(bytes: Uint8Array): AgentEnvelope {
  return v1.AgentEnvelope.decode(bytes);
}

export function decodeCollectorEnvelope(bytes: Uint8Array): CollectorEnvelope {
  return v1.CollectorEnvelope.decode(bytes);
}

/** Days since 1970-01-01 for a UTC instant. */
export function utcDayOf(ms: number): number {
  return Math.floor(ms / 86_400_000);
}

/** "YYYY-MM-DD" for a UTC day number. */
export function utcDayToIso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
