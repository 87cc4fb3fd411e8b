/** The house money unit: wallet balances and admin credits are whole cents. */
import { chips, formatAmount, type Chips } from '../../../shared/money';

/** Smallest amount a wallet can hold or be credited: 0.01. */
export const HOUSE_UNIT: Chips = chips('0.01');

/** Formats a wallet amount as a decimal string with exactly two decimals ("12.50"). */
export function formatHouseAmount(amount: Chips): string {
  return formatAmount(amount, HOUSE_UNIT);
}
