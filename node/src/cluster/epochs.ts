// Epoch rules, as pure decisions. currentEpoch only grows; a configEpoch is
// the version of a primary's slot claims, so higher wins a slot conflict.
// Two primaries with the same configEpoch are a collision that Redis breaks
// by id order: the one with the lexicographically smaller id takes
// currentEpoch + 1 (clusterHandleConfigEpochCollision), so after a few rounds
// every primary has a distinct configEpoch without any vote.

export function collisionLoser(myId: string, otherId: string, myConfigEpoch: number, otherConfigEpoch: number, bothPrimaries: boolean): boolean {
  return bothPrimaries && myConfigEpoch === otherConfigEpoch && myId < otherId;
}

/**
 * CLUSTER BUMPEPOCH (clusterBumpConfigEpochWithoutConsensus): bump when our
 * configEpoch is 0 or not already the greatest epoch known.
 */
export function shouldBumpWithoutConsensus(myConfigEpoch: number, maxEpochKnown: number): boolean {
  return myConfigEpoch === 0 || myConfigEpoch !== maxEpochKnown;
}
