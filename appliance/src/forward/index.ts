// Public surface of the forward room: other rooms import only from here.
export { Forwarder } from './forwarder.ts';
export { hubAuthorize, noDnsResponder } from './hub-mode.ts';
export { listenerInputSchema } from './listener-config.ts';
export { MqttEvents } from './mqtt-events.ts';
