// Minimal typings for the two evaluators the benchmark and the agreement test compare against;
// neither package ships its own.
declare module 'phe' {
  /** Card code from rank ("2".."A") and suit ("s", "h", "d", "c"). */
  export function cardCode(rank: string, suit: string): number;
  /** Hand strength of 5..7 card codes; lower is better, 1 is a royal flush. */
  export function evaluateCardCodes(codes: number[]): number;
}

declare module 'phe/lib/evaluator7' {
  /** phe's allocation-light 7-card entry point over card codes; lower is better. */
  export default function evaluate7(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number;
}

declare module 'pokersolver' {
  export class Hand {
    static solve(cards: string[]): Hand;
    rank: number;
    name: string;
    descr: string;
    compare(other: Hand): number;
  }
}
