// The Redis release whose behaviour Tessera matches (HELLO, INFO, LOLWUT
// would say it); clients gate features on it, so it is Redis's number, not ours.
export const REDIS_VERSION = '7.0.15';

/** Tessera's own release, reported beside it in INFO server. */
export const TESSERA_VERSION = '0.1.0';
