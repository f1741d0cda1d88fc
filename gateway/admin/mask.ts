// Staff views use the gateway's one masking function (observability/mask.ts); only an audited reveal shows a value whole.
export { maskDeep, maskIdentifier, maskName, maskPhone, maskText } from '../observability/mask.js';
