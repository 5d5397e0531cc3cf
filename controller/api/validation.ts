/**
 * Field-by-field checks of Porter's custom resources, for the controller (which reports a bad
 * object in its status and Events and leaves it unused) and for manifests read from files. Each
 * returns the typed resource, or every problem with its Kubernetes field path. The CRDs' schemas
 * refuse most of the same mistakes at the API server; these checks also cover what a schema
 * cannot say (a range's order, address families that must agree) and objects that never passed
 * through an API server.
 */
export type { Problem, Validated } from './validation/field-checker.ts';
export { validateEip, EIP_PROTOCOLS } from './validation/eip.ts';
export { validateBgpConf, BGP_CONF_NAME, SUPPORTED_ROUTE_FAMILIES } from './validation/bgp-conf.ts';
export { validateBgpPeer, PEER_AFIS, PEER_SAFIS } from './validation/bgp-peer.ts';
export { eipOverlaps } from './validation/eip-overlaps.ts';
