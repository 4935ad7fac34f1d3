// Reference data: delivery systems and behavioral health plans. Counties themselves are in california-counties.ts.
import { CALIFORNIA_COUNTIES } from './california-counties.ts';

/** The codes are stable identifiers; their alphabetical order (DMC, DMC_ODS, SMHS) is the order used everywhere. */
export const DELIVERY_SYSTEMS = [
  { code: 'DMC', name: 'Drug Medi-Cal State Plan' },
  { code: 'DMC_ODS', name: 'Drug Medi-Cal Organized Delivery System' },
  { code: 'SMHS', name: 'Specialty Mental Health Services' },
] as const;

export type DeliverySystem = (typeof DELIVERY_SYSTEMS)[number]['code'];
export const DELIVERY_SYSTEM_CODES = DELIVERY_SYSTEMS.map((s) => s.code) as [DeliverySystem, ...DeliverySystem[]];

/** Plans that cover more than one county. Every other county is its own plan. */
const JOINT_PLANS = [{ code: 'sutter-yuba', name: 'Sutter-Yuba Behavioral Health', counties: ['Sutter', 'Yuba'] }];

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export interface PlanDefinition {
  code: string;
  name: string;
  countyFips: string[];
}

export function behavioralHealthPlans(): PlanDefinition[] {
  const joint = new Map(JOINT_PLANS.flatMap((p) => p.counties.map((c) => [c, p])));
  const plans = new Map<string, PlanDefinition>();
  for (const county of CALIFORNIA_COUNTIES) {
    const shared = joint.get(county.name);
    const code = shared?.code ?? slug(county.name);
    const plan = plans.get(code) ?? { code, name: shared?.name ?? `${county.name} County Behavioral Health`, countyFips: [] };
    plan.countyFips.push(county.fips);
    plans.set(code, plan);
  }
  return [...plans.values()];
}

/** Delivery-system codes without repeats, in code order (alphabetical: DMC, DMC_ODS, SMHS). */
export function sortSystems<T extends string>(codes: Iterable<T>): T[] {
  return [...new Set(codes)].sort();
}
