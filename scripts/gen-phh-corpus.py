#!/usr/bin/env python3
"""Generates a PHH corpus with PokerKit as the oracle (needs `pip install pokerkit`; not run by the tests).

Usage: python3 scripts/gen-phh-corpus.py [--seed 7] [--hands 300] > test/fixtures/phh/short-stacks-300.phhs

PokerKit plays random legal hands and writes each with its finishing stacks, so that the engine's
PHH replay (shared/engine/phh-corpus.test.ts) can compare its own results with PokerKit's. The mix
leans on the cases where betting rounds must close early: most hands are heads-up with one or both
stacks a few big blinds deep (or less than a blind), the rest are 3..6 players with antes and
straddles. Amounts are played in integer units and written either as integers or as cents.
"""
import argparse
import random
import sys

from pokerkit import (
    Automation,
    FixedLimitTexasHoldem,
    HandHistory,
    NoLimitTexasHoldem,
    PotLimitOmahaHoldem,
)

AUTOMATIONS = (
    Automation.ANTE_POSTING,
    Automation.BET_COLLECTION,
    Automation.BLIND_OR_STRADDLE_POSTING,
    Automation.CARD_BURNING,
    Automation.HOLE_DEALING,
    Automation.BOARD_DEALING,
    Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
    Automation.HAND_KILLING,
    Automation.CHIPS_PUSHING,
    Automation.CHIPS_PULLING,
)


def table(rng):
    """Picks a variant, blinds, antes, straddles and stacks (integer units)."""
    variant = rng.choice(['NT', 'NT', 'PO', 'FT'])
    blind = rng.choice([1, 2, 5, 25])
    heads_up = rng.random() < 0.65
    players = 2 if heads_up else rng.randint(3, 6)
    ante = rng.choice([0, 0, 0, max(1, blind // 5), blind]) if rng.random() < 0.5 else 0
    blinds = [blind, 2 * blind]
    # Straddles need someone left to act after them, so only with four or more players.
    if players >= 4 and rng.random() < 0.5:
        blinds.append(4 * blind)
        if players >= 5 and rng.random() < 0.3:
            blinds.append(8 * blind)
    blinds += [0] * (players - len(blinds))

    def stack():
        r = rng.random()
        if r < 0.25:
            return rng.randint(1, 2 * blind)  # Less than a big blind or about one.
        if r < 0.7:
            return rng.randint(2 * blind, 12 * blind)  # A few big blinds.
        return rng.randint(12 * blind, 150 * blind)

    stacks = [stack() for _ in range(players)]
    return variant, blind, [ante] * players, blinds, stacks


def game_of(variant, blind, antes, blinds):
    if variant == 'FT':
        return FixedLimitTexasHoldem(AUTOMATIONS, True, antes, blinds, 2 * blind, 4 * blind)
    cls = NoLimitTexasHoldem if variant == 'NT' else PotLimitOmahaHoldem
    return cls(AUTOMATIONS, True, antes, blinds, 2 * blind)


def play(rng, state):
    """Random legal actions, biased towards all-ins and calls so short stacks meet the closing rules."""
    while state.status:
        if state.can_complete_bet_or_raise_to() and rng.random() < 0.45:
            lo = state.min_completion_betting_or_raising_to_amount
            hi = state.max_completion_betting_or_raising_to_amount
            pick = rng.random()
            state.complete_bet_or_raise_to(hi if pick < 0.5 else lo if pick < 0.75 else rng.randint(lo, hi))
        elif state.can_fold() and rng.random() < 0.15:
            state.fold()
        elif state.can_check_or_call():
            state.check_or_call()
        else:
            raise RuntimeError('no action available to the actor')


def amount(value, cents):
    return f'{value // 100}.{value % 100:02d}' if cents else str(value)


def section(index, variant, blind, antes, blinds, hh, stacks, finishing, cents):
    f = lambda xs: '[' + ', '.join(amount(x, cents) for x in xs) + ']'
    actions = []
    for a in hh.actions:
        parts = a.split(' ')
        if len(parts) == 3 and parts[1] == 'cbr':
            parts[2] = amount(int(parts[2]), cents)
        actions.append(' '.join(parts))
    lines = [f'[{index}]', f"variant = '{variant}'", 'ante_trimming_status = true', f'antes = {f(antes)}',
             f'blinds_or_straddles = {f(blinds)}']
    if variant == 'FT':
        lines += [f'small_bet = {amount(2 * blind, cents)}', f'big_bet = {amount(4 * blind, cents)}']
    else:
        lines.append(f'min_bet = {amount(2 * blind, cents)}')
    lines += [f'starting_stacks = {f(stacks)}', 'actions = [' + ', '.join(f"'{a}'" for a in actions) + ']',
              f'finishing_stacks = {f(finishing)}']
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seed', type=int, default=7)
    parser.add_argument('--hands', type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # PokerKit shuffles its deck with the global generator; seeding it makes the corpus reproducible.
    random.seed(args.seed)
    out = []
    for index in range(1, args.hands + 1):
        variant, blind, antes, blinds, stacks = table(rng)
        cents = rng.random() < 0.5
        game = game_of(variant, blind, antes, blinds)
        state = game(stacks, len(stacks))
        play(rng, state)
        hh = HandHistory.from_game_state(game, state)
        out.append(section(index, variant, blind, antes, blinds, hh, stacks, list(state.stacks), cents))
    sys.stdout.write('\n\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
