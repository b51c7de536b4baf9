// The collector refuses outbound requests to anything but public internet
// addresses (collector/src/outbound.ts); the receivers, PSA emulators and
// identity providers of the tests listen on loopback, which an operator
// would allow with --outbound-allow 127.0.0.0/8,::1/128.
import { OutboundPolicy } from '../../collector/src/outbound.ts';

export const LOOPBACK_ALLOWED = new OutboundPolicy(['127.0.0.0/8', '::1/128']);
export const LOOPBACK_ALLOW_FLAG = ['--outbound-allow', '127.0.0.0/8,::1/128'];
