/**
 * COS Local and a peer measured in turns (round by round, the order swapped each round), so both
 * figures of a round come from the same seconds of a machine whose speed drifts.
 */
export interface Alternated {
  /** Each round's figure of COS Local and of the peer. */
  cos: number[]
  null: number[]
  /** COS Local / peer per round, %. */
  ratios: number[]
}

/** `measure(0)` is COS Local, `measure(1)` the peer; `warmRounds` run first and are not kept. */
export async function alternateRounds(
  rounds: number,
  measure: (index: 0 | 1) => Promise<number>,
  warmRounds = 0
): Promise<Alternated> {
  const result: Alternated = { cos: [], null: [], ratios: [] }
  for (let round = -warmRounds; round < rounds; round++) {
    const order: (0 | 1)[] = round % 2 === 0 ? [0, 1] : [1, 0]
    const figures: number[] = []
    for (const index of order) figures[index] = await measure(index)
    if (round < 0) continue
    result.cos.push(figures[0]!)
    result.null.push(figures[1]!)
    result.ratios.push((figures[0]! / figures[1]!) * 100)
  }
  return result
}
