// Minutes to billing units, by the configured rule (claims.unit_rounding). "midpoint" bills a unit once at least
// half of it was given — for 15-minute units the CMS 8-minute rule: 7 minutes is 0 units, 8 is 1, 22 is 1, 23 is 2.
export type UnitRounding = 'midpoint' | 'up' | 'down';

export function unitsFor(minutes: number, unitMinutes: number | null, rounding: UnitRounding): number {
  if (minutes <= 0) return 0;
  if (unitMinutes === null) return 1;
  const whole = Math.floor(minutes / unitMinutes);
  const rest = minutes - whole * unitMinutes;
  if (rest === 0) return whole;
  if (rounding === 'up') return whole + 1;
  if (rounding === 'down') return whole;
  return rest * 2 >= unitMinutes ? whole + 1 : whole;
}
